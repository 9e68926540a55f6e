"""Reminders through a real Celery worker on the local Redis (CI has both).

The data is committed (transactional_db) so that the worker, another process,
sees it; the worker mails into a file outbox this process reads.
"""

import datetime
import time
from collections import Counter

import pytest
from django.utils import timezone

from assessments.models import Requirement
from assessments.reminders import KIND
from mentorship.models import Notification
from programs.models import Stage
from tests import factories as f
from tests.reminder_worker import Workers, skip_unless_worker_can_run

pytestmark = pytest.mark.worker

LEASE_SECONDS = 2


@pytest.fixture
def workers(transactional_db, tmp_path):
    skip_unless_worker_can_run()
    run = Workers(tmp_path)
    try:
        yield run
    finally:
        run.close()


def students_with_a_plan_due(count):
    """``count`` enrolled students, each owing a career plan due in 5 days (the
    7-days-before reminder is due now). Returns their e-mail addresses."""
    cycle = f.CycleFactory(stage=Stage.TRACKING)
    f.RequirementFactory(cycle=cycle, due_at=timezone.now() + datetime.timedelta(days=5))
    enrollments = [f.EnrollmentFactory(cycle=cycle) for _ in range(count)]
    return [enrollment.student.user.email for enrollment in enrollments]


def sent_count():
    return Notification.objects.filter(sent_at__isnull=False).count()


def test_a_worker_sweeps_and_sends_the_due_reminders(workers):
    emails = students_with_a_plan_due(3)

    workers.start(lease_seconds=600)
    workers.send()
    workers.wait_for(lambda: len(workers.outbox()) == 3, what="3 digests")
    workers.wait_for(lambda: sent_count() == 3, what="3 rows marked sent")

    rows = Notification.objects.select_related("recipient")
    assert sorted(row.recipient.email for row in rows) == sorted(emails)
    assert {(row.kind, row.offset_days) for row in rows} == {(KIND, 7)}
    assert all(row.sent_at and row.claim_token for row in rows)
    title = Requirement.objects.get().kind.name
    outbox = workers.outbox()
    assert sorted(message["to"][0] for message in outbox) == sorted(emails)
    for message in outbox:
        assert message["subject"].endswith("A reminder from your mentoring program")
        assert title in message["body"]
        assert "due in 7 days" in message["body"]


def test_a_worker_killed_mid_batch_loses_and_repeats_no_digest(workers):
    """40 students are each due one digest. The first worker's mail server
    takes 0.4 s per message; once 5 rows are marked sent the whole worker
    process group is SIGKILLed, then a second worker finishes the batch.

    Where the kill lands: mentorship/reminders.py documents one window in which
    a digest can go out twice, between the mail server accepting it and its
    rows being marked sent (no mail protocol can make that step exactly-once).
    The backend here sleeps before it writes a message, so 0.1 s after a mark
    the worker is well inside the next message's sleep (or still rendering
    it): that digest was never accepted, and the kill tests what must hold
    outside the window (nothing is lost, and nothing sent is sent again). The
    outbox is checked against the marks right after the kill, so a kill that
    fell into the window would say so rather than pass as a double send.

    Redelivery: the task is acks_late, but with the whole worker killed its
    message stays unacknowledged in Redis until the visibility timeout
    (CELERY_VISIBILITY_TIMEOUT); task_reject_on_worker_lost only covers a pool child lost under a
    living parent. So the second worker gets a fresh task, as it would from
    beat's next sweep, sent once the dead worker's lease has expired; the
    claimed rows wait for the lease, not for the broker.
    """
    emails = students_with_a_plan_due(40)

    first = workers.start(lease_seconds=LEASE_SECONDS, mail_delay=0.4)
    workers.send()
    workers.wait_for(lambda: sent_count() >= 5, what="5 rows marked sent")
    time.sleep(0.1)
    workers.kill(first)

    marked = sent_count()
    assert 5 <= marked < 40
    assert len(workers.outbox()) == marked, "the kill fell between a mail and its mark"
    assert Notification.objects.filter(claim_token__isnull=False).count() == 40

    workers.start(lease_seconds=LEASE_SECONDS)
    last_claim = max(Notification.objects.values_list("claimed_at", flat=True))
    expired = last_claim + datetime.timedelta(seconds=LEASE_SECONDS + 0.2)
    time.sleep(max((expired - timezone.now()).total_seconds(), 0))
    workers.send()
    workers.wait_for(lambda: sent_count() == 40, what="all 40 rows marked sent")

    assert Counter(message["to"][0] for message in workers.outbox()) == dict.fromkeys(emails, 1)
    rows = Notification.objects.all()
    assert len(rows) == 40 and all(row.sent_at for row in rows)
    # The rows the first worker sent kept its claim; the second took the rest.
    assert len({row.claim_token for row in rows}) == 2


def test_overlapping_runs_of_two_workers_mail_everyone_once(workers):
    """Two workers, a run queued every 0.3 s (a beat far faster than the
    sends), a mail server taking 0.1 s per message and a 1 s lease: every run
    after the first starts while the first is still sending, long after its
    claims would have gone stale had they counted from the run's start."""
    emails = students_with_a_plan_due(30)

    for _ in range(2):
        workers.start(lease_seconds=1, mail_delay=0.1)
    deadline = time.monotonic() + 30
    while sent_count() < 30 and time.monotonic() < deadline:
        workers.send()
        time.sleep(0.3)
    workers.wait_for(lambda: sent_count() == 30, what="all 30 rows marked sent")
    for _ in range(3):  # late runs find nothing left to send
        workers.send()
    time.sleep(1.5)

    assert Counter(message["to"][0] for message in workers.outbox()) == dict.fromkeys(emails, 1)
