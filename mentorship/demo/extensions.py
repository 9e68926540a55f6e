"""Demo data of the apps that build on mentorship.

Meetings, activities, deliverables and competence live in apps that import
mentorship, so its seeder cannot create their rows. Each such app registers a
seeder from its AppConfig.ready(); ``seed_demo`` runs them, in order, after the
people, cycles, matches and groups exist. A seeder takes ``plan`` (the demo
plan) and ``now``, creates only what is missing (a second run changes nothing)
and returns a Counter of rows created per model.
"""

from collections import Counter

from programs.table_stats import analyze_filled

_seeders = {}


def register_demo(name, seeder, *, order=100):
    _seeders[name] = (order, seeder)


def _run(seeders, **arguments):
    created = Counter()
    for _order, seeder in sorted(seeders.values(), key=lambda item: item[0]):
        made = seeder(**arguments)
        # The next seeder (and the pages) read what this one bulk-inserted.
        analyze_filled(made)
        created.update(made)
    return created


def run_demo_extensions(plan, now):
    return _run(_seeders, plan=plan, now=now)


# Helpers for the seeders: the demo's running cycles and the demo mentor's mentees.


def current_cycle(program_name):
    """The cycle of the demo program ``program_name`` in process tracking, or None."""
    from programs.models import Cycle, Stage

    return (
        Cycle.objects.filter(program__name=program_name, stage=Stage.TRACKING)
        .select_related("program")
        .order_by("-starts_on")
        .first()
    )


def kicked_off_at(cycle):
    return cycle.transitions.filter(to_stage="kick_off").values_list("at", flat=True).first()


def clock(cycle, now):
    """``ago(days, hour=None)``: a moment ``days`` before ``now`` (at ``hour``
    local time when given), never before the cycle's kick-off nor after ``now``:
    demo history stays inside the cycle whatever day the demo is seeded."""
    import datetime

    from django.utils import timezone

    start = kicked_off_at(cycle) or now
    floor = min(start + datetime.timedelta(hours=1), now - datetime.timedelta(minutes=30))

    def ago(days, hour=None):
        moment = now - datetime.timedelta(days=days)
        if hour is not None:
            local = timezone.localtime(moment)
            moment = local.replace(hour=hour, minute=0, second=0, microsecond=0)
        return min(max(moment, floor), now - datetime.timedelta(minutes=5))

    return ago


def mentee_enrollments(cycle, mentor_email):
    """Enrollments of ``mentor_email``'s published mentees in ``cycle``,
    the demo student first, then by name."""
    from mentorship.publishing import published_matches

    from .plan import STUDENT

    matches = (
        published_matches()
        .filter(engagement__cycle=cycle, engagement__mentor__user__email=mentor_email)
        .select_related("enrollment__student__user")
    )
    enrollments = [match.enrollment for match in matches]
    return sorted(
        enrollments,
        key=lambda e: (e.student.user.email != STUDENT, e.student.user.full_name, e.pk),
    )


# The bulk mode's history (seed_demo --students N ...) works the same way: the
# apps that own meetings, activities and assessments add their rows to every
# benchmark cycle from their AppConfig.ready(), since mentorship cannot import
# them. A bulk seeder takes ``cycles`` (a list of BulkCycle) and ``now``,
# inserts set-based (bulk_create in chunks) and returns a Counter per model.

_bulk_seeders = {}


class BulkCycle:
    """A benchmark cycle and the span its history lies in: from kick-off to the
    end of process tracking (to ``now`` for the running cycle)."""

    def __init__(self, cycle, timeline, now):
        self.cycle = cycle
        at = {to: moment for _frm, to, moment, _note in timeline}
        self.at = at  # stage -> when the cycle entered it
        self.kicked_off = at["kick_off"]
        self.tracked_until = min(at.get("evaluation", now), now)

    def moment(self, share):
        """The point ``share`` (0 to 1) of the way through the tracked span."""
        return self.kicked_off + (self.tracked_until - self.kicked_off) * share


def register_bulk(name, seeder, *, order=100):
    _bulk_seeders[name] = (order, seeder)


def run_bulk_extensions(cycles, now):
    return _run(_bulk_seeders, cycles=cycles, now=now)
