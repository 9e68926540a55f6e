"""Shared setup of the group publishing tests: a cycle in selection with two
led groups, and its committed group matching."""

from mentorship.matching_runs import commit_run, run_matching
from mentorship.models import GroupMembership, GroupPreference
from mentorship.publishing import publish_group_placements
from programs.models import Stage
from tests import factories as f


def make_groups(world):
    """A cycle in selection with two led groups (2 and 1 places) and four students.

    Big is led by the persona mentor (chief) with a plain coach; Small by a
    leading coach.
    """
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage=Stage.SELECTION)
    big = f.GroupFactory(
        cycle=cycle, kind="industry", name="Big", capacity=2, focus="Green finance"
    )
    small = f.GroupFactory(cycle=cycle, kind="enterprise", name="Small", capacity=1)
    mentor = world.mentor.mentor_profile
    f.EngagementFactory(mentor=mentor, cycle=cycle)
    f.GroupMembershipFactory(group=big, mentor=mentor, role="chief")
    f.GroupMembershipFactory(
        group=big, role="coach", mentor__user__email="plain-coach@example.test"
    )
    f.GroupMembershipFactory(
        group=small,
        role="leading",
        mentor__user__email="lena@example.test",
        mentor__user__full_name="Lena Leading",
    )
    students = [
        f.EnrollmentFactory(
            cycle=cycle,
            status="applied",
            tie_break=n,
            student__user__full_name=f"Student {n}",
            student__major="Economics",
        )
        for n in range(4)
    ]
    return cycle, big, small, students


def rank(enrollment, *chosen):
    for position, group in enumerate(chosen, start=1):
        GroupPreference.objects.create(enrollment=enrollment, group=group, rank=position)


def commit(world, cycle):
    return commit_run(
        run=run_matching(cycle=cycle, by=world.coordinator, level="group"), by=world.coordinator
    )


def commit_groups(world, groups):
    """Students 0 and 1 in Big, 2 in Small, 3 without a group; nothing published."""
    cycle, big, small, students = groups
    for student in students:
        rank(student, big, small)
    commit(world, cycle)
    return groups


def publish(world, cycle, capture):
    with capture(execute=True):
        return publish_group_placements(cycle=cycle, by=world.coordinator)


def placements(cycle):
    return GroupMembership.objects.filter(group__cycle=cycle, run__isnull=False)
