"""Deliverable reminders: before the deadline, then overdue, until a version is in."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.reminders import KIND, deliverable_reminders, latest_offset
from mentorship.models import Enrollment, EnrollmentStatus, Notification
from mentorship.reminders import run_reminders, sweep
from programs.models import Stage
from tests import factories as f

DEADLINE = datetime.date(2026, 12, 20)


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def days(n):
    return DEADLINE + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("today", "offset"),
    [
        (days(-20), None),
        (days(-15), None),
        (days(-14), 14),
        (days(-8), 14),
        (days(-7), 7),
        (days(-2), 7),
        (days(-1), 1),
        (days(0), 1),
        (days(6), 1),
        (days(7), -7),
        (days(14), -14),
        (days(21), -21),
        (days(27), -21),
        (days(28), None),
        (days(60), None),
    ],
)
def test_the_step_due_on_each_day(today, offset):
    assert latest_offset(DEADLINE, today) == offset


@pytest.fixture
def plan(world):
    return f.RequirementFactory(
        cycle=world.cycle, kind_code="career_plan", due_at=at(DEADLINE, hour=23)
    )


def enrollment_of(world):
    return Enrollment.objects.get(student__user=world.student, cycle=world.cycle)


def test_reminders_of_a_student_who_has_not_submitted(world, plan):
    enrollment = enrollment_of(world)

    assert list(deliverable_reminders(at(days(-15)))) == []
    [due] = deliverable_reminders(at(days(-7)))

    assert due.recipient_id == world.student.pk
    assert due.kind == KIND
    assert due.subject_key == f"assessments.requirement:{plan.pk}/enrollment:{enrollment.pk}"
    assert (due.due_on, due.offset_days) == (days(-7), 7)
    assert due.payload["url"] == f"/student/deliverables/{plan.pk}/"
    assert due.payload["title"] == plan.kind.name


def test_each_step_is_sent_once_and_stops_after_the_last_overdue(world, plan, mailoutbox):
    for n in range(-20, 40):
        run_reminders(now=at(days(n)))

    rows = Notification.objects.filter(recipient=world.student, kind=KIND)
    assert sorted(rows.values_list("offset_days", flat=True)) == [-21, -14, -7, 1, 7, 14]
    assert len(mailoutbox) == 6
    assert all(row.sent_at for row in rows)


def test_nothing_once_a_version_is_submitted(world, plan, mailoutbox):
    run_reminders(now=at(days(-7)))
    f.SubmissionFactory(requirement=plan, enrollment=enrollment_of(world))

    for n in (-1, 7, 14):
        run_reminders(now=at(days(n)))

    assert list(deliverable_reminders(at(days(-1)))) == []
    # The mentor is reminded of the version to review; the student only once.
    assert len([m for m in mailoutbox if world.student.email in m.to]) == 1


def test_withdrawn_students_are_not_reminded(world, plan):
    Enrollment.objects.filter(pk=enrollment_of(world).pk).update(status=EnrollmentStatus.WITHDRAWN)

    assert list(deliverable_reminders(at(days(-1)))) == []


@pytest.mark.parametrize("stage", [Stage.CLOSED, Stage.EVALUATION, Stage.SELECTION])
def test_cycles_not_running_are_left_out(world, plan, stage):
    world.cycle.stage = stage
    world.cycle.save(update_fields=["stage"])

    assert list(deliverable_reminders(at(days(-1)))) == []


def test_kick_off_cycles_are_reminded(world, plan):
    world.cycle.stage = Stage.KICK_OFF
    world.cycle.save(update_fields=["stage"])

    assert len(list(deliverable_reminders(at(days(-1))))) == 1


def test_other_cycles_students_are_not_reminded_of_this_cycle(world, plan):
    recipients = {due.recipient_id for due in deliverable_reminders(at(days(-1)))}
    assert recipients == {world.student.pk}


def add_students(world, count, requirement):
    for _ in range(count):
        enrollment = f.EnrollmentFactory(cycle=world.cycle)
        if _ % 2:
            f.SubmissionFactory(requirement=requirement, enrollment=enrollment)


def sweep_queries(now):
    with CaptureQueriesContext(connection) as queries:
        counts = sweep(now=now)
    return len(queries), counts


def test_sweep_queries_do_not_grow_with_students(world, plan):
    f.RequirementFactory(
        cycle=world.cycle, kind_code="internship_report", due_at=at(days(3), hour=23)
    )
    add_students(world, 2, plan)
    small, small_counts = sweep_queries(at(days(-1)))
    add_students(world, 10, plan)
    large, large_counts = sweep_queries(at(days(-1)))

    assert large_counts["due"] > small_counts["due"]
    assert small == large


def test_the_digest_names_the_deliverable_in_the_students_language(world, plan, mailoutbox):
    world.student.preferred_language = "zh-hans"
    world.student.save(update_fields=["preferred_language"])

    run_reminders(now=at(days(-1)))

    [message] = mailoutbox
    assert "个人职业规划" in message.body
    assert world.program.name in message.body
    assert f"/student/deliverables/{plan.pk}/" in message.body
