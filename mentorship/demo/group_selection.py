"""The coaching program's next cycle, in selection: students choose groups.

Next year's groups keep this year's coaches and take students by the group-level
matching; the demo mentor leads the financial group and has not judged its
applicants yet, and the demo student has ranked groups, so both logins have
something to do. Drawn from its own seeded RNG after the rest of the plan, so
adding it did not change who else is in the demo.
"""

import datetime
import random

from programs.models import GroupKind

from ..models import EngagementStatus
from . import names
from .plan import MENTOR, STUDENT, GroupSpec, next_year_in_selection

APPLICANTS = 44
PLACES = {GroupKind.ENTERPRISE: 20, GroupKind.INDUSTRY: 20, GroupKind.PERSONALIZED: 8}


def _next_group(spec):
    mentors = list(spec.mentors)
    if spec.kind == GroupKind.INDUSTRY:
        # Next year the demo mentor leads the group; last year's chief coaches in it.
        mentors = [(MENTOR, "chief")] + [
            (email, "coach") for email, _ in mentors if email != MENTOR
        ]
    return GroupSpec(
        kind=spec.kind,
        name=spec.name,
        focus=spec.focus,
        sponsoring_organisation=spec.sponsoring_organisation,
        description=spec.description,
        mentors=mentors,
        capacity=PLACES[spec.kind],
    )


def add_group_selection_cycle(b, program, year, now):
    """Put the program's next cycle, in selection, first in ``program.cycles``."""
    current = program.cycles[0]
    start = year + 1
    cycle = next_year_in_selection(
        year,
        opened_on=datetime.date(year, 11, 9),
        note="Students choose next year's groups.",
        now=now,
        groups=[_next_group(group) for group in current.groups],
    )
    saved, b.rng = b.rng, random.Random(2028)
    for group in cycle.groups:
        for email, _ in group.mentors:
            cycle.capacities[email] = current.capacities.get(email, 4)
    # The office named the demo mentor chief before he signed next year's contract.
    cycle.statuses[MENTOR] = EngagementStatus.INVITED
    group_names = [group.name for group in cycle.groups]
    # The enterprise group is the most wanted, the personalized one the least.
    weights = [5, 4, 2][: len(group_names)]
    cycle.applicants = [
        b.student(names.UNIVERSITY_MAJORS, start, study_year=b.rng.randint(1, 3))
        for _ in range(APPLICANTS)
    ]
    for student in cycle.applicants:
        choices, wanted = [], b.rng.randint(1, len(group_names))
        while len(choices) < wanted:
            pick = b.rng.choices(group_names, weights)[0]
            if pick not in choices:
                choices.append(pick)
        cycle.group_rankings[student] = choices
    cycle.applicants.append(STUDENT)
    cycle.group_rankings[STUDENT] = [group_names[1], group_names[0]]
    for group in cycle.groups:
        if any(email == MENTOR for email, _ in group.mentors):
            continue
        applicants = [s for s, ranked in cycle.group_rankings.items() if group.name in ranked]
        b.rng.shuffle(applicants)
        refused = applicants[-1:]
        cycle.group_judgements[group.name] = [
            (s, None if s in refused else rank) for rank, s in enumerate(applicants, 1)
        ]
    b.rng = saved
    program.cycles.insert(0, cycle)
