"""Preference deadline approaching: students and mentors who have not ranked, once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship.models import (
    EngagementStatus,
    EnrollmentStatus,
    MentorPreference,
    Notification,
    StudentPreference,
)
from mentorship.reminders import run_reminders, sweep
from mentorship.reminders_selection import KIND, selection_reminders
from programs.models import ReminderPolicy, Stage
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
