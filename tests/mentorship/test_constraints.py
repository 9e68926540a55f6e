import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from mentorship.models import Engagement, GroupMembership, StaffRole, User
from tests import factories as f

pytestmark = pytest.mark.django_db


def violates(func):
    with pytest.raises(IntegrityError), transaction.atomic():
        func()


def test_email_unique_and_lowercased():
    user = User.objects.create_user("Ana@Example.TEST", "pw", full_name="Ana")
    assert user.email == "ana@example.test"
    violates(lambda: User.objects.create_user("ana@example.test", "pw", full_name="Ana 2"))


def test_staff_role_unique_and_grants_admin_access():
    role = f.StaffRoleFactory()
    user = role.user
    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name="Coordinators").exists()
    violates(lambda: StaffRole.objects.create(user=user, program=role.program, role=role.role))
    role.delete()
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.groups.exists()


def test_alumnus_needs_degree_others_have_none():
    violates(lambda: f.MentorProfileFactory(kind="alumnus", alumni_degree=""))
    violates(lambda: f.MentorProfileFactory(kind="faculty", alumni_degree="mba"))
    assert f.MentorProfileFactory(kind="alumnus", alumni_degree="emba").pk


def test_student_number_unique_present_and_year_in_range():
    f.StudentProfileFactory(student_number="S1")
    violates(lambda: f.StudentProfileFactory(student_number="S1"))
    violates(lambda: f.StudentProfileFactory(student_number=""))
    violates(lambda: f.StudentProfileFactory(year=0))
    violates(lambda: f.StudentProfileFactory(year=11))


def test_one_profile_per_person():
    profile = f.MentorProfileFactory()
    violates(lambda: f.MentorProfileFactory(user=profile.user))


def test_engagement_unique_and_positive_capacity_and_ordered_contract():
    engagement = f.EngagementFactory()
    violates(lambda: f.EngagementFactory(mentor=engagement.mentor, cycle=engagement.cycle))
    violates(lambda: f.EngagementFactory(capacity=0))
    violates(lambda: f.EngagementFactory(contract_start="2026-09-01", contract_end="2026-08-01"))


def test_engagement_capacity_within_program_bounds():
    engagement = f.EngagementFactory.build(
        mentor=f.MentorProfileFactory(), cycle=f.CycleFactory(), capacity=7
    )
    with pytest.raises(ValidationError) as error:
        engagement.full_clean()
    assert "3 to 5" in str(error.value)
    engagement.capacity = 4
    engagement.full_clean()


def test_enrollment_unique():
    enrollment = f.EnrollmentFactory()
    violates(lambda: f.EnrollmentFactory(student=enrollment.student, cycle=enrollment.cycle))


def test_group_name_unique_per_cycle():
    group = f.GroupFactory()
    violates(lambda: f.GroupFactory(cycle=group.cycle, name=group.name))


def test_membership_person_matches_role():
    group = f.GroupFactory()
    student = f.StudentProfileFactory()
    violates(lambda: GroupMembership.objects.create(group=group, role="student", mentor=None))
    violates(
        lambda: GroupMembership.objects.create(
            group=group, role="coach", mentor=None, student=student
        )
    )
    violates(
        lambda: GroupMembership.objects.create(
            group=group, role="student", student=student, mentor=f.MentorProfileFactory()
        )
    )


def test_membership_unique_person_and_one_chief():
    group = f.GroupFactory()
    chief = f.GroupMembershipFactory(group=group, role="chief")
    violates(lambda: f.GroupMembershipFactory(group=group, mentor=chief.mentor, role="coach"))
    violates(lambda: f.GroupMembershipFactory(group=group, role="chief"))
    student = f.StudentProfileFactory()
    f.GroupMembershipFactory(group=group, role="student", mentor=None, student=student)
    violates(
        lambda: f.GroupMembershipFactory(group=group, role="student", mentor=None, student=student)
    )


def test_deleting_a_person_keeps_history():
    engagement = f.EngagementFactory()
    with pytest.raises(ProtectedError):
        engagement.mentor.user.delete()
    with pytest.raises(ProtectedError):
        engagement.mentor.delete()
    with pytest.raises(ProtectedError):
        engagement.cycle.delete()
    assert Engagement.objects.filter(pk=engagement.pk).exists()


def test_group_kind_must_be_allowed_by_the_program():
    cycle = f.CycleFactory()  # a mentor program: only mentor teams
    group = f.GroupFactory.build(cycle=cycle, kind="enterprise", name="Bank group")
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "does not allow groups of this kind" in str(error.value)
    group.kind = "mentor_team"
    group.full_clean()


def test_roster_entry_unique_per_program_and_role():
    entry = f.RosterEntryFactory()
    violates(lambda: f.RosterEntryFactory(program=entry.program, user=entry.user, role=entry.role))
    assert f.RosterEntryFactory(program=entry.program, user=entry.user, role="mentor").pk
