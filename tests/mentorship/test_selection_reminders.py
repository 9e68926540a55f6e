"""Preference deadline approaching: students and mentors who have not ranked, once."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.models import (
    EngagementStatus,
    EnrollmentStatus,
    GroupJudgement,
    GroupPreference,
    GroupRole,
    MentorPreference,
    Notification,
    StudentPreference,
)
from mentorship.reminders import run_reminders, sweep
from mentorship.reminders_selection import KIND, selection_reminders
from programs.models import GroupKind, ReminderPolicy, Stage
from tests import factories as f

pytestmark = pytest.mark.django_db

DEADLINE = timezone.make_aware(datetime.datetime(2027, 3, 10, 18))


def before(days, hours=0):
    return DEADLINE - datetime.timedelta(days=days, hours=hours)


@pytest.fixture
def selection(world):
    cycle = f.CycleFactory(
        program=world.program, name="2027", stage=Stage.SELECTION, preference_deadline=DEADLINE
    )
    enrollment = f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.APPLIED)
    engagement = f.EngagementFactory(cycle=cycle)
    return cycle, enrollment, engagement


def recipients(now):
    return sorted(due.recipient_id for due in selection_reminders(now))


def test_due_three_days_before_not_earlier_nor_after(selection):
    _, enrollment, engagement = selection
    both = sorted([enrollment.student.user_id, engagement.mentor.user_id])
    assert recipients(before(3, hours=1)) == []
    assert recipients(before(3)) == both
    assert recipients(before(0, hours=1)) == both
    assert recipients(before(0, hours=-1)) == []


def test_the_programs_own_days(world, selection):
    ReminderPolicy.objects.filter(program=world.program).update(selection_days_before=7)
    assert recipients(before(7, hours=1)) == []
    assert len(recipients(before(7))) == 2


def test_sent_once(selection, mailoutbox):
    for hours in range(72, 0, -6):
        run_reminders(now=before(0, hours=hours))
    assert Notification.objects.filter(kind=KIND).count() == 2
    assert len(mailoutbox) == 2
    assert sweep(now=before(1))["new"] == 0
    student_mail = next(m for m in mailoutbox if "/ranking/" in m.body)
    assert "Rank the mentors you would like" in student_mail.body


def test_those_who_ranked_are_left_out(selection):
    _, enrollment, engagement = selection
    StudentPreference.objects.create(enrollment=enrollment, engagement=engagement, rank=1)
    MentorPreference.objects.create(engagement=engagement, enrollment=enrollment, rank=1)
    assert recipients(before(1)) == []


def test_no_applicants_no_mentor_reminder(selection):
    _, enrollment, engagement = selection
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.save(update_fields=["status"])
    assert recipients(before(1)) == []


def test_declined_mentors_and_other_stages_are_left_out(selection):
    cycle, enrollment, engagement = selection
    engagement.status = EngagementStatus.DECLINED
    engagement.save(update_fields=["status"])
    assert recipients(before(1)) == [enrollment.student.user_id]
    cycle.stage = Stage.CLOSED
    cycle.save(update_fields=["stage"])
    assert recipients(before(1)) == []


def test_queries_do_not_grow(selection):
    cycle = selection[0]

    def count():
        with CaptureQueriesContext(connection) as queries:
            found = list(selection_reminders(before(1)))
        return len(queries), len(found)

    small, small_found = count()
    for _ in range(4):
        f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.APPLIED)
        f.EngagementFactory(cycle=cycle)
    large, large_found = count()
    assert large_found > small_found
    assert small == large


@pytest.fixture
def group_selection(selection):
    """The cycle's students choose coaching groups: one with places, led by a
    chief and a leading coach, with a plain coach who does not judge."""
    cycle, enrollment, engagement = selection
    group = f.GroupFactory(cycle=cycle, kind=GroupKind.INDUSTRY, capacity=8)
    chief = f.GroupMembershipFactory(group=group, role=GroupRole.CHIEF)
    leading = f.GroupMembershipFactory(group=group, role=GroupRole.LEADING)
    f.GroupMembershipFactory(group=group, role=GroupRole.COACH)
    return SimpleNamespace(
        cycle=cycle,
        enrollment=enrollment,
        engagement=engagement,
        group=group,
        leaders=sorted([chief.mentor.user_id, leading.mentor.user_id]),
    )


def test_group_cycle_students_are_sent_to_the_groups(group_selection):
    # Nobody ranked the group yet: only the student is reminded, towards the
    # groups, and the engaged mentor has nobody to judge at the mentor level.
    dues = list(selection_reminders(before(1)))
    assert [due.recipient_id for due in dues] == [group_selection.enrollment.student.user_id]
    assert dues[0].payload["url"] == reverse(
        "selection_groups", args=[group_selection.enrollment.pk]
    )
    assert dues[0].payload["title"] == "Rank the coaching groups you would like"


def test_group_ranking_counts_as_ranked_and_leaders_are_reminded(group_selection):
    s = group_selection
    GroupPreference.objects.create(enrollment=s.enrollment, group=s.group, rank=1)
    dues = list(selection_reminders(before(1)))
    assert sorted(due.recipient_id for due in dues) == s.leaders
    assert {due.payload["url"] for due in dues} == {
        reverse("selection_group_applicants", args=[s.group.pk])
    }
    assert {due.subject_key for due in dues} == {f"mentorship.group:{s.group.pk}/deadline"}


def test_a_judged_group_or_a_withdrawn_applicant_stops_the_leaders_reminder(group_selection):
    s = group_selection
    GroupPreference.objects.create(enrollment=s.enrollment, group=s.group, rank=1)
    s.enrollment.status = EnrollmentStatus.WITHDRAWN
    s.enrollment.save(update_fields=["status"])
    assert recipients(before(1)) == []
    s.enrollment.status = EnrollmentStatus.APPLIED
    s.enrollment.save(update_fields=["status"])
    GroupJudgement.objects.create(group=s.group, enrollment=s.enrollment, rank=1)
    assert recipients(before(1)) == []


def test_group_queries_do_not_grow(group_selection):
    s = group_selection

    def count():
        with CaptureQueriesContext(connection) as queries:
            found = list(selection_reminders(before(1)))
        return len(queries), len(found)

    GroupPreference.objects.create(enrollment=s.enrollment, group=s.group, rank=1)
    small, small_found = count()
    for _ in range(3):
        group = f.GroupFactory(cycle=s.cycle, kind=GroupKind.INDUSTRY, capacity=5)
        f.GroupMembershipFactory(group=group, role=GroupRole.CHIEF)
        ranker = f.EnrollmentFactory(cycle=s.cycle, status=EnrollmentStatus.APPLIED)
        GroupPreference.objects.create(enrollment=ranker, group=group, rank=1)
        f.EnrollmentFactory(cycle=s.cycle, status=EnrollmentStatus.APPLIED)
    large, large_found = count()
    assert large_found > small_found
    assert small == large
