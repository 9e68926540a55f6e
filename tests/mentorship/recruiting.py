"""Shared set-up of the recruitment tests."""

import datetime

from programs.models import Cycle, Stage
from tests import factories as f


def next_cycle(world):
    """Next year's cycle of program A, in selection; world.cycle comes just before it.

    world.cycle is moved to reward: its ratings are final, so they give priority.
    """
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.REWARD)
    world.cycle.refresh_from_db()
    return f.CycleFactory(
        program=world.program,
        name="2027-2028",
        starts_on=datetime.date(2027, 9, 1),
        ends_on=datetime.date(2028, 7, 31),
        stage=Stage.SELECTION,
    )


def add_roster_mentors(program, count, **user):
    """``count`` new mentors on ``program``'s roster; ``user`` sets their accounts' fields."""
    mentors = []
    for _ in range(count):
        mentor = f.MentorProfileFactory(**{f"user__{key}": value for key, value in user.items()})
        f.RosterEntryFactory(program=program, user=mentor.user, role="mentor")
        mentors.append(mentor)
    return mentors
