"""Set-up shared by the cross-program takeover tests (issue 12, section 1).

Program A is world.program (world.coordinator), program B world.other_program
(world.other_coordinator). ``second_program`` gives A's coordinator another
program, A2; ``shared_student`` and ``shared_mentor`` are people of A who are
on B's roster too, so A's coordinator sees them but does not run all their
programs.
"""

from types import SimpleNamespace

from mentorship.reach import REFUSAL
from programs.models import Stage
from tests import factories as f

REFUSAL_TEXT = str(REFUSAL)


def second_program(world):
    """Program A2, coordinated by world.coordinator only, with a cycle in tracking."""
    program = f.ProgramFactory(name="Second Alumni Program")
    f.StaffRoleFactory(user=world.coordinator, program=program, role="coordinator")
    cycle = f.CycleFactory(program=program, name="A2 2026", stage=Stage.TRACKING)
    return SimpleNamespace(program=program, cycle=cycle)


def shared_student(world):
    """A student enrolled in A's cycle and on B's roster as well."""
    profile = f.StudentProfileFactory(
        user__email="shared-student@example.test", user__full_name="Shay Shared", major="Law"
    )
    f.EnrollmentFactory(student=profile, cycle=world.cycle)
    f.RosterEntryFactory(user=profile.user, program=world.program, role="student")
    f.RosterEntryFactory(user=profile.user, program=world.other_program, role="student")
    return profile


def shared_mentor(world):
    """A mentor engaged in A's cycle and in B's cycle."""
    profile = f.MentorProfileFactory(
        user__email="shared-mentor@example.test", user__full_name="Sol Shared"
    )
    f.EngagementFactory(mentor=profile, cycle=world.cycle)
    f.EngagementFactory(mentor=profile, cycle=world.other_cycle)
    return profile
