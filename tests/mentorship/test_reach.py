"""The rule of mentorship.reach: whose account a person may attach to a
program, and whose password and e-mail address they may change."""

import pytest

from mentorship.reach import Reach, programs_of
from tests import factories as f

from .takeover import second_program, shared_student

pytestmark = pytest.mark.django_db


def test_a_person_belongs_to_programs_through_each_kind_of_membership(world):
    other = f.ProgramFactory()
    staff = f.UserFactory()
    f.StaffRoleFactory(user=staff, program=other, role="steering")
    people = [world.mentor, world.student, world.other_mentor, world.coordinator, staff]

    found = programs_of([person.pk for person in people])

    a, b = world.program.pk, world.other_program.pk
    assert found == {
        world.mentor.pk: {a},
        world.student.pk: {a},
        world.other_mentor.pk: {b},
        world.coordinator.pk: {a},
        staff.pk: {other.pk},
    }


def test_engagements_and_enrollments_count_without_a_roster_entry(world):
    mentor = f.MentorProfileFactory()
    f.EngagementFactory(mentor=mentor, cycle=world.other_cycle)
    student = f.StudentProfileFactory()
    f.EnrollmentFactory(student=student, cycle=world.cycle)

    found = programs_of([mentor.user_id, student.user_id])

    assert found == {mentor.user_id: {world.other_program.pk}, student.user_id: {world.program.pk}}


def test_within_reach_only_when_every_program_is_coordinated(world):
    a2 = second_program(world)
    reach = Reach(world.coordinator)
    loner = f.UserFactory()
    assert reach.within(world.student)
    assert not reach.within(world.other_student)
    assert not reach.within(shared_student(world).user)
    assert not reach.within(loner)  # in no program at all
    assert not reach.within(world.steering)  # a staff account of A
    assert reach.may_attach(world.student, a2.program)


def test_attaching_to_a_program_the_person_is_already_in(world):
    a2 = second_program(world)
    shared = shared_student(world).user
    reach = Reach(world.coordinator)
    assert reach.may_attach(shared, world.program)
    assert not reach.may_attach(shared, a2.program)
    assert reach.may_attach(world.steering, world.program)
    assert not reach.may_attach(world.other_coordinator, world.program)
    assert not reach.may_attach(world.other_student, world.program)
    assert Reach(world.other_coordinator).may_attach(shared, world.other_program)


def test_new_accounts_may_always_be_attached(world):
    assert Reach(world.coordinator).may_attach(f.UserFactory.build(), world.program)


def test_credentials(world):
    shared = shared_student(world).user
    reach = Reach(world.coordinator)
    assert reach.may_change_credentials(world.student)
    assert reach.may_change_credentials(world.coordinator)  # their own
    assert not reach.may_change_credentials(shared)
    assert not reach.may_change_credentials(world.steering)
    root = f.UserFactory(is_staff=True, is_superuser=True)
    assert Reach(root).may_change_credentials(shared)
    assert Reach(root).may_attach(world.other_student, world.program)


def test_loading_many_people_costs_one_query_per_kind_of_membership(
    world, django_assert_num_queries
):
    people = [f.StudentProfileFactory().user for _ in range(5)]
    for person in people:
        f.RosterEntryFactory(user=person, program=world.program)
    reach = Reach(world.coordinator)
    reach.coordinated  # noqa: B018 - looked up once, before counting
    with django_assert_num_queries(4):
        reach.load([person.pk for person in people])
        assert all(reach.within(person) for person in people)
