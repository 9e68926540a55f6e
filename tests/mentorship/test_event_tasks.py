"""Event e-mails go through Celery tasks that mail each person once: run
twice, retried after a mail error, or handed to the digest at last."""

import smtplib
from collections import Counter

import pytest
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from mentorship import events, reminders
from mentorship import tasks as mentorship_tasks
from mentorship.models import Notification
from mentorship.opportunities import post_opportunity
from mentorship.publishing import publish_matches
from mentorship.reminders import run_reminders
from sessions_app import tasks as sessions_tasks
from sessions_app.activities import capacity_changed
from sessions_app.meetings import dispute_meeting
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_sources(monkeypatch):
    """Only the events: the apps' sweeps would add unrelated reminders."""
    monkeypatch.setattr(reminders, "_sources", {})


def students(world, count=3):
    return [
        f.EnrollmentFactory(cycle=world.cycle, student=f.StudentProfileFactory())
        for _ in range(count)
    ]


def publication(world):
    engagement = world.mentor.mentor_profile.engagements.get(cycle=world.cycle)
    matches = [
        f.MatchFactory(enrollment=e, engagement=engagement, published_at=timezone.now())
        for e in students(world, 2)
    ]
    return mentorship_tasks.send_publication_emails_task, {"match_ids": [m.pk for m in matches]}


def group_publication(world):
    placed = [
        f.GroupPlacementFactory(group=world.team, student=e.student, published_at=timezone.now())
        for e in students(world, 2)
    ]
    task = mentorship_tasks.send_group_publication_emails_task
    return task, {"membership_ids": [m.pk for m in placed]}


def opportunity(world):
    posted = f.OpportunityFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    for enrollment in students(world):
        f.OpportunityRecipientFactory(opportunity=posted, enrollment=enrollment)
    return mentorship_tasks.send_opportunity_emails_task, {"opportunity_id": posted.pk}


def confirmation(world):
    meeting = f.MeetingFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    ids = [
        f.MeetingParticipantFactory(meeting=meeting, student=e.student).pk for e in students(world)
    ]
    return sessions_tasks.send_confirmation_requests_task, {"participant_ids": ids}


def dispute(world):
    meeting = f.MeetingFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    participant = f.MeetingParticipantFactory(meeting=meeting, status="disputed")
    return sessions_tasks.send_dispute_notice_task, {"participant_id": participant.pk}


def promotion(world):
    activity = f.ActivityFactory(cycle=world.cycle)
    ids = [f.RegistrationFactory(activity=activity).pk for _ in range(3)]
    return sessions_tasks.notify_promoted_task, {"registration_ids": ids}


EVENTS = [publication, group_publication, opportunity, confirmation, dispute, promotion]


def mailed(outbox):
    return Counter(message.to[0] for message in outbox)


@pytest.mark.parametrize("event", EVENTS)
def test_running_a_task_twice_mails_each_person_once(world, mailoutbox, event):
    task, ids = event(world)
    task.delay(**ids)
    first = mailed(mailoutbox)
    task.delay(**ids)
    assert first and set(first.values()) == {1}
    assert mailed(mailoutbox) == first
    # Each is listed in the centre, sent: the digest does not mail it again.
    assert Notification.objects.filter(sent_at__isnull=False).count() == len(first)
    run_reminders(now=timezone.now())
    assert mailed(mailoutbox) == first


def fail_once_at(monkeypatch, attempt):
    """The ``attempt``-th mail (1-based) fails once, as a mail server that drops."""
    real, calls = events.render_email, []

    def render(user, name, context):
        message = real(user, name, context)
        calls.append(user.email)
        if len(calls) == attempt:

            def drop():
                raise smtplib.SMTPServerDisconnected("gone")

            message.send = drop
        return message

    monkeypatch.setattr(events, "render_email", render)
    return calls


@pytest.mark.parametrize("event", EVENTS)
def test_a_retry_after_a_mail_error_mails_only_those_not_reached(
    world, mailoutbox, monkeypatch, event
):
    task, ids = event(world)
    send = import_string(task.name)
    # A dispute has one recipient; the others fail at the second.
    calls = fail_once_at(monkeypatch, attempt=1 if event is dispute else 2)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(**ids, last_try=False)
    reached = mailed(mailoutbox)
    send(**ids, last_try=False)  # the task's retry
    assert set(mailed(mailoutbox).values()) == {1}
    assert set(mailed(mailoutbox)) == set(calls)
    assert len(mailed(mailoutbox)) == len(reached) + 1


@pytest.mark.parametrize("event", [publication, promotion])
def test_in_the_embedded_default_the_digest_mails_whom_the_task_missed(
    world, mailoutbox, monkeypatch, event
):
    task, ids = event(world)
    calls = fail_once_at(monkeypatch, attempt=2)
    task.delay(**ids)  # eager: not retried in the request, and no error page
    missed = calls[1]
    assert missed not in mailed(mailoutbox)
    row = Notification.objects.get(recipient__email=missed)
    assert row.sent_at is None
    run_reminders(now=timezone.now())
    task.delay(**ids)
    assert mailed(mailoutbox)[missed] == 1
    assert set(mailed(mailoutbox).values()) == {1}


def test_event_tasks_retry_mail_and_database_errors_with_backoff():
    for task in (
        mentorship_tasks.send_publication_emails_task,
        sessions_tasks.send_dispute_notice_task,
        mentorship_tasks.run_reminders_task,
    ):
        assert task.acks_late and task.reject_on_worker_lost
        assert set(events.MAIL_ERRORS) < set(task.autoretry_for)
        # A task run while PostgreSQL restarts is retried, not dropped.
        assert {OperationalError, InterfaceError} < set(task.autoretry_for)
        assert (task.retry_backoff, task.retry_jitter, task.max_retries) == (30, True, 5)
        assert task.time_limit > task.soft_time_limit


class Rollback(Exception):
    pass


def publish(world, mentee):
    f.MatchFactory(enrollment=students(world, 1)[0], engagement=mentee.match.engagement)
    publish_matches(cycle=world.cycle, by=world.coordinator)


def post(world, mentee):
    post_opportunity(
        author=world.mentor.mentor_profile,
        enrollments=[mentee],
        kind="internship",
        organisation="Bank",
        role="Analyst intern",
        link="https://jobs.example.test/a",
    )


def disputed(world, mentee):
    participant = f.MeetingParticipantFactory(
        meeting__cycle=world.cycle, student=world.student.student_profile
    )
    dispute_meeting(participant=participant, comment="We did not meet.", by=world.student)


def promoted(world, mentee):
    activity = f.ActivityFactory(cycle=world.cycle)
    f.RegistrationFactory(activity=activity, status="waitlisted", position=1)
    capacity_changed(activity=activity)


@pytest.mark.parametrize("action", [publish, post, disputed, promoted])
def test_mails_are_queued_only_once_the_change_commits(
    world, mentee, mailoutbox, django_capture_on_commit_callbacks, action
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        action(world, mentee)
        raise Rollback
    assert callbacks == [] and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        action(world, mentee)
    assert mailoutbox
