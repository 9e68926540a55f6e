"""Communication gap, unconfirmed meeting and activity reminders, by the clock."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship.models import Enrollment, EnrollmentStatus, Match, Notification
from mentorship.reminders import run_reminders, sweep
from programs.models import ReminderPolicy, Stage
from sessions_app.models import Meeting, MeetingParticipant
from sessions_app.reminders import (
    ACTIVITY,
    GAP,
    activity_reminders,
    gap_reminders,
    unconfirmed_reminders,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime.datetime(2026, 10, 1, 9))


def day(n, hours=0):
    return T0 + datetime.timedelta(days=n, hours=hours)


@pytest.fixture
def pair(world, mentee):
    Match.objects.filter(enrollment=mentee).update(published_at=T0)
    return mentee


def found(source, now):
    return sorted((d.recipient_id, d.due_on) for d in source(now))


class TestGap:
    def test_both_are_nudged_after_the_gap_and_every_gap_after(self, world, pair):
        assert found(gap_reminders, day(29, 23)) == []
        both = sorted([world.student.pk, world.mentor.pk])
        assert [r for r, _ in found(gap_reminders, day(30))] == both
        assert {d for _, d in found(gap_reminders, day(59))} == {day(30).date()}
        assert {d for _, d in found(gap_reminders, day(60))} == {day(60).date()}

    def test_a_confirmed_meeting_restarts_the_count(self, world, pair):
        meeting = f.MeetingFactory(
            cycle=world.cycle, author=world.mentor.mentor_profile, starts_at=day(20)
        )
        f.MeetingParticipantFactory(meeting=meeting, student=pair.student, status="confirmed")
        assert found(gap_reminders, day(49)) == []
        assert {d for _, d in found(gap_reminders, day(50))} == {day(50).date()}

    def test_the_programs_own_gap(self, world, pair):
        ReminderPolicy.objects.filter(program=world.program).update(meeting_gap_days=10)
        assert found(gap_reminders, day(9)) == []
        assert len(found(gap_reminders, day(10))) == 2

    def test_each_step_sent_once(self, world, pair, mailoutbox):
        for n in range(0, 70, 3):
            run_reminders(now=day(n))
        rows = Notification.objects.filter(kind=GAP, recipient=world.student)
        assert rows.count() == 2
        assert sweep(now=day(70))["new"] == 0
        body = next(m.body for m in mailoutbox if world.student.email in m.to)
        assert "No confirmed meeting with your mentor for a while" in body

    def test_withdrawn_and_closed_left_out(self, world, pair):
        Enrollment.objects.filter(pk=pair.pk).update(status=EnrollmentStatus.WITHDRAWN)
        assert found(gap_reminders, day(31)) == []
        Enrollment.objects.filter(pk=pair.pk).update(status=EnrollmentStatus.MATCHED)
        world.cycle.stage = Stage.CLOSED
        world.cycle.save(update_fields=["stage"])
        assert found(gap_reminders, day(31)) == []


class TestUnconfirmed:
    @pytest.fixture
    def pending(self, world, pair):
        meeting = f.MeetingFactory(
            cycle=world.cycle, author=world.mentor.mentor_profile, starts_at=day(1)
        )
        Meeting.objects.filter(pk=meeting.pk).update(created_at=day(1))
        return f.MeetingParticipantFactory(meeting=meeting, student=pair.student)

    def test_the_student_is_nudged_after_three_days_once(self, world, pending, mailoutbox):
        assert found(unconfirmed_reminders, day(3, 23)) == []
        assert found(unconfirmed_reminders, day(4)) == [(world.student.pk, day(4).date())]
        for n in range(4, 12):
            run_reminders(now=day(n))
        assert Notification.objects.filter(kind="meeting_unconfirmed").count() == 1

    def test_nothing_once_answered(self, world, pending):
        MeetingParticipant.objects.filter(pk=pending.pk).update(
            status="confirmed", answered_at=day(2)
        )
        assert found(unconfirmed_reminders, day(5)) == []

    def test_withdrawn_left_out(self, world, pending, pair):
        Enrollment.objects.filter(pk=pair.pk).update(status=EnrollmentStatus.WITHDRAWN)
        assert found(unconfirmed_reminders, day(5)) == []


class TestActivities:
    @pytest.fixture
    def going(self, world):
        activity = f.ActivityFactory(cycle=world.cycle, starts_at=day(10), ends_at=day(10, 2))
        f.RegistrationFactory(activity=activity, user=world.mentor, status="declined")
        return f.RegistrationFactory(activity=activity, user=world.student)

    def test_those_going_are_reminded_a_day_before_once(self, world, going):
        assert found(activity_reminders, day(9, -1)) == []
        assert found(activity_reminders, day(9)) == [(world.student.pk, day(9).date())]
        assert found(activity_reminders, day(10, 1)) == []
        for hours in range(-30, 24, 2):
            run_reminders(now=day(9, hours))
        assert Notification.objects.filter(kind=ACTIVITY).count() == 1

    def test_the_programs_own_hours(self, world, going):
        ReminderPolicy.objects.filter(program=world.program).update(activity_hours_before=2)
        assert found(activity_reminders, day(9, 21)) == []
        assert len(found(activity_reminders, day(9, 22))) == 1

    def test_closed_cycles_left_out(self, world, going):
        world.cycle.stage = Stage.CLOSED
        world.cycle.save(update_fields=["stage"])
        assert found(activity_reminders, day(9, 12)) == []


def test_sweep_queries_do_not_grow(world, pair):
    activity = f.ActivityFactory(cycle=world.cycle, starts_at=day(40), ends_at=day(40, 2))

    def add(count):
        for _ in range(count):
            enrollment = f.EnrollmentFactory(cycle=world.cycle)
            engagement = f.EngagementFactory(cycle=world.cycle)
            f.MatchFactory(enrollment=enrollment, engagement=engagement, published_at=T0)
            meeting = f.MeetingFactory(cycle=world.cycle, author=engagement.mentor)
            Meeting.objects.filter(pk=meeting.pk).update(created_at=day(1))
            f.MeetingParticipantFactory(meeting=meeting, student=enrollment.student)
            f.RegistrationFactory(activity=activity, user=enrollment.student.user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            counts = sweep(now=day(39, 12))
        return len(queries), counts["due"]

    add(1)
    small, small_due = count()
    add(4)
    large, large_due = count()
    assert large_due > small_due
    assert small == large
