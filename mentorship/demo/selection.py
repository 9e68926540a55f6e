"""The alumni program's next cycle, in selection: something to rank and match.

Drawn from its own seeded RNG after the rest of the plan, so adding it did not
change who else is in the demo.
"""

import datetime
import random

from ..models import EngagementStatus
from . import names
from .plan import MENTOR, STUDENT, local_time, next_year_in_selection

APPLICANTS = 34
# Mentors the demo leaves undecided or declining, by position in the current cycle.
PENDING, DECLINED = (5, 9), (11,)


def add_selection_cycle(b, program, year, now):
    """Put the program's next cycle, in selection, first in ``program.cycles``."""
    current = program.cycles[0]
    start = year + 1
    cycle = next_year_in_selection(
        year,
        opened_on=datetime.date(year, 11, 2),
        note="Early selection for next year opens.",
        now=now,
        # Mentors rated excellent in the last evaluated cycle are invited first.
        priority_invitations_until=local_time(datetime.date(year, 12, 1), hour=18),
        priority=set(program.cycles[1].excellent),
    )
    saved, b.rng = b.rng, random.Random(2027)
    mentors = list(current.capacities)
    for position, email in enumerate(mentors):
        cycle.capacities[email] = b.rng.randint(3, 5)
        if position in PENDING:
            cycle.statuses[email] = EngagementStatus.INVITED
        elif position in DECLINED:
            cycle.statuses[email] = EngagementStatus.DECLINED
    taking = [m for m in mentors if cycle.statuses.get(m) is None]
    # Popular mentors draw most applications, as in any real round.
    weights = [1 / (k + 1) ** 0.7 for k in range(len(taking))]
    b.rng.shuffle(taking)
    majors = [major for area in names.BUSINESS_MAJORS.values() for major in area]
    cycle.applicants = [
        b.student(majors, start, study_year=b.rng.randint(1, 3)) for _ in range(APPLICANTS)
    ]
    for student in cycle.applicants:
        choices, wanted = [], b.rng.randint(3, 5)
        while len(choices) < wanted:
            pick = b.rng.choices(taking, weights)[0]
            if pick not in choices:
                choices.append(pick)
        cycle.student_rankings[student] = choices
    # The demo student continues and has started her list; the demo mentor has
    # not yet judged anyone, so both logins have something to do.
    cycle.applicants.append(STUDENT)
    cycle.student_rankings[STUDENT] = [MENTOR, next(m for m in taking if m != MENTOR)]
    for mentor in taking[: len(taking) // 2]:
        if mentor == MENTOR:
            continue
        applicants = [s for s, ranked in cycle.student_rankings.items() if mentor in ranked]
        b.rng.shuffle(applicants)
        refused = applicants[-1:] if len(applicants) > 6 else []
        cycle.mentor_rankings[mentor] = [
            (s, None if s in refused else rank) for rank, s in enumerate(applicants, 1)
        ]
    b.rng = saved
    program.cycles.insert(0, cycle)
