"""Redis down (broker and cache on a closed port, tasks not eager): sign-in
works without rate limits, actions succeed and say their e-mails follow, and
what they owe is queued by the next sweep once Redis is back."""

import datetime

import kombu.pools
import pytest
from django.conf import settings as live_settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Evaluation, EvaluationStatus
from config.celery import app
from mentorship.tasks import run_reminders_task
from programs.models import PendingTask
from programs.tasks_util import requeue_pending, task_done
from sessions_app.meetings import log_meeting
from sessions_app.models import ParticipantStatus
from tests import factories as f
from tests.assessments.evaluation_helpers import evaluating, populate
from tests.mentorship.test_event_tasks import disputed, post, promoted, publish
from tests.sessions_app.test_meetings import record

CLOSED = "redis://127.0.0.1:1/0"
LATER = datetime.timedelta(minutes=5)


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "programs.cache.FailOpenRedisCache",
            "LOCATION": CLOSED,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    before = app.conf.broker_url
    app.conf.update(broker_url=CLOSED, task_always_eager=False)
    forget_broker_connections()
    yield
    app.conf.update(broker_url=before, task_always_eager=True)
    forget_broker_connections()


def forget_broker_connections():
    """Drop the producers made for the other broker address."""
    kombu.pools.reset()
    app._pool = app.amqp._producer_pool = None


def logged(world, mentee):
    log_meeting(
        mentor=world.mentor.mentor_profile,
        cycle=world.cycle,
        students=[mentee.student],
        by=world.mentor,
        **record(),
    )


def redis_back():
    """Tasks run again (in-process, standing in for a worker)."""
    app.conf.task_always_eager = True


@pytest.mark.django_db
def test_sign_in_and_password_reset_work_while_the_cache_is_down(client, world, redis_down):
    login = reverse("account_login")
    wrong = client.post(login, {"login": world.student.email, "password": "nope"})
    assert wrong.status_code == 200
    right = client.post(
        login, {"login": world.student.email, "password": live_settings.DEMO_PASSWORD}
    )
    assert right.status_code == 302
    client.logout()
    reset = client.post(reverse("account_reset_password"), {"email": world.student.email})
    assert reset.status_code == 302
    assert mail.outbox[-1].to == [world.student.email]


@pytest.mark.django_db
def test_a_dispute_succeeds_and_its_mail_follows_once_redis_is_back(
    client, world, mentee, redis_down, monkeypatch
):
    meeting = f.MeetingFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    participant = f.MeetingParticipantFactory(meeting=meeting, student=mentee.student)
    client.force_login(world.student)
    url = reverse("student_meeting_dispute", args=[meeting.pk])

    # As outside a test's transaction: queued when the service's change commits.
    monkeypatch.setattr("programs.tasks_util.transaction.on_commit", lambda run: run())
    response = client.post(url, {"comment": "It was a phone call."}, follow=True)

    assert response.status_code == 200
    assert "will be sent as soon as it is back" in response.text
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.DISPUTED
    owed = PendingTask.objects.get()
    assert owed.queued_at is None and mail.outbox == []

    redis_back()
    assert requeue_pending(now=timezone.now()) == 0  # within the request's grace
    run_reminders_task.apply()  # the next sweep, a few minutes later
    assert requeue_pending(now=timezone.now() + LATER) == 1
    assert [m.to for m in mail.outbox] == [[world.mentor.email]]
    assert not PendingTask.objects.exists()


@pytest.mark.django_db
def test_an_evaluation_not_queued_is_not_left_computing(client, world, redis_down, monkeypatch):
    cycle = evaluating(world.cycle)
    populate(cycle, students=2, judge_user=world.steering)
    monkeypatch.setattr("programs.tasks_util.transaction.on_commit", lambda run: run())
    client.force_login(world.coordinator)
    compute = reverse("admin:assessments_evaluation_compute", args=[cycle.pk])

    response = client.post(compute, follow=True)

    evaluation = Evaluation.objects.get(cycle=cycle)
    assert evaluation.status == EvaluationStatus.NEW
    assert "could not be started" in evaluation.error
    assert "It starts by itself once the service is back." in response.text
    assert PendingTask.objects.get().queued_at is None

    redis_back()
    assert requeue_pending(now=timezone.now() + LATER) == 1
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.error) == (EvaluationStatus.COMPUTED, "")
    assert not PendingTask.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("action", [publish, post, disputed, promoted, logged])
def test_every_action_that_queues_succeeds_and_owes_its_task(
    world, mentee, redis_down, monkeypatch, action
):
    monkeypatch.setattr("programs.tasks_util.transaction.on_commit", lambda run: run())
    action(world, mentee)  # no broker error escapes
    owed = PendingTask.objects.get()
    assert owed.queued_at is None and mail.outbox == []

    redis_back()
    run_reminders_task.apply()
    requeue_pending(now=timezone.now() + LATER)
    assert mail.outbox
    assert not PendingTask.objects.exists()


@pytest.mark.django_db
def test_a_task_queued_by_other_means_is_no_pending_task():
    task_done(task_id="custom-id", state="SUCCESS")  # no error
    task_done(task_id=None, state="SUCCESS")
