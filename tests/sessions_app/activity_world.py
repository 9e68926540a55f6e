"""An activity of the personas' team: the mentor persona is its chief coach,
the student persona its published student; plus a plain coach of the team."""

from types import SimpleNamespace

import pytest

from tests import factories as f


@pytest.fixture
def salon(world):
    coach = f.GroupMembershipFactory(group=world.team, role="coach").mentor.user
    activity = f.ActivityFactory(
        cycle=world.cycle, group=world.team, title="Finance salon", created_by=world.mentor
    )
    f.ActivityInvitationFactory(activity=activity, group=world.team)
    return SimpleNamespace(activity=activity, coach=coach)


def invited_student(world, activity):
    """One more student of the program, invited on their own."""
    student = f.StudentProfileFactory()
    f.EnrollmentFactory(student=student, cycle=world.cycle)
    f.ActivityInvitationFactory(activity=activity, user=student.user)
    return student.user
