"""Demo data of the apps that build on mentorship.

Meetings, activities, deliverables and competence live in apps that import
mentorship, so its seeder cannot create their rows. Each such app registers a
seeder from its AppConfig.ready(); ``seed_demo`` runs them, in order, after the
people, cycles, matches and groups exist. A seeder takes ``plan`` (the demo
plan) and ``now``, creates only what is missing (a second run changes nothing)
and returns a Counter of rows created per model.
"""

from collections import Counter

_seeders = {}


def register_demo(name, seeder, *, order=100):
    _seeders[name] = (order, seeder)


def run_demo_extensions(plan, now):
    created = Counter()
    for _order, seeder in sorted(_seeders.values(), key=lambda item: item[0]):
        created.update(seeder(plan=plan, now=now))
    return created
