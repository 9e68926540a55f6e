"""Queue a Celery task as a nudge, with the database remembering what is owed.

``enqueue(task, **kwargs)`` is how every service queues a task (never
``delay_on_commit``): inside the service's transaction it records a
PendingTask row, and once the transaction commits it publishes the task with
the row's id as task id. The row is removed when the task succeeds.

So the change and the work it owes commit together, and a broker that is
down costs nothing but time: publishing fails quietly (logged), the request
succeeds and its page says that notifications will follow, and the next sweep
(``requeue_pending``, run by the reminder task and ``manage.py
run_reminders``) queues whatever was not queued, or was queued but did not
succeed within ``REQUEUE_AFTER`` (a worker killed, a message lost with a
Redis restart). The tasks are safe to run twice, so a late duplicate costs
nothing.

Without Redis (the embedded default) the task runs in-process at the commit,
as before: its errors propagate, and its row stays for the next sweep.
"""

import contextvars
import logging
import uuid
from datetime import timedelta

from celery import current_app
from django.contrib import messages
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PendingTask

logger = logging.getLogger(__name__)

# Longer than a task's retries take (30 s backing off to 10 min, 5 times,
# about 16 min) and than the broker's visibility timeout (30 min): a task
# still retrying or about to come back is not queued a second time.
REQUEUE_AFTER = timedelta(minutes=45)
# Not queued within a minute of the commit: the request's own publish failed.
GRACE = timedelta(minutes=1)
# A task queued this often without succeeding is left for an operator.
MAX_ATTEMPTS = 10
REQUEUE_BATCH = 500

# Tasks of the current request that the broker did not take (see
# QueueNoticeMiddleware); None outside a request.
_not_queued = contextvars.ContextVar("not_queued", default=None)


def enqueue(task, **kwargs):
    """Record ``task`` with ``kwargs`` (plain ids) as owed and queue it once
    the current transaction commits (at once outside one). Returns the
    PendingTask, whose ``queued`` says how publishing went (None until the
    commit)."""
    pending = PendingTask.objects.create(name=task.name, arguments=kwargs)
    # Set by publish: True once the broker took it, False if it did not.
    pending.queued = None
    transaction.on_commit(lambda: publish(pending))
    return pending


def publish(pending):
    """Hand ``pending`` to the broker; True when it took it. A broker error is
    logged, never raised: the row stays and the sweep queues it later."""
    task = current_app.tasks[pending.name]
    if task.app.conf.task_always_eager:
        # In-process: the task runs now, and its own errors are real ones.
        _mark_queued(pending)
        task.apply_async(kwargs=pending.arguments, task_id=str(pending.pk))
        return True
    pending.queued = False
    try:
        task.apply_async(kwargs=pending.arguments, task_id=str(pending.pk))
    except Exception:
        logger.warning("could not queue %s %s: left for the sweep", pending.name, pending.pk)
        failures = _not_queued.get()
        if failures is not None:
            failures.append(pending.name)
        return False
    _mark_queued(pending)
    return True


def _mark_queued(pending):
    pending.queued = True
    PendingTask.objects.filter(pk=pending.pk).update(
        queued_at=timezone.now(), attempts=F("attempts") + 1
    )


def requeue_pending(*, now):
    """Queue again what was not queued, or not done long after it was.
    Returns how many the broker took."""
    owed = PendingTask.objects.filter(
        Q(queued_at__isnull=True, created_at__lt=now - GRACE)
        | Q(queued_at__lt=now - REQUEUE_AFTER),
        attempts__lt=MAX_ATTEMPTS,
    ).order_by("created_at")[:REQUEUE_BATCH]
    taken = 0
    for pending in owed:
        if pending.name not in current_app.tasks:
            logger.error("pending task %s names no task: %s", pending.pk, pending.name)
            continue
        try:
            taken += publish(pending)
        except Exception:
            # In-process (no broker): one failing task must not stop the rest.
            logger.exception("pending task %s %s failed", pending.name, pending.pk)
    return taken


def task_done(task_id=None, state=None, **kwargs):
    """Celery's task_postrun: a task that succeeded owes nothing any more."""
    if state != "SUCCESS" or not task_id:
        return
    try:
        pk = uuid.UUID(str(task_id))
    except ValueError:
        return  # queued by something else, with an id of its own
    PendingTask.objects.filter(pk=pk).delete()


def queue_failures():
    """Names of the tasks this request could not queue."""
    return list(_not_queued.get() or [])


def forget_queue_failures():
    """The view has told the person itself: no general notice."""
    failures = _not_queued.get()
    if failures is not None:
        failures.clear()


class QueueNoticeMiddleware:
    """Tell the person when their change was saved but its e-mails (or its
    computation) wait for the background service: the page stays a success."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _not_queued.set([])
        try:
            response = self.get_response(request)
            if _not_queued.get() and hasattr(request, "_messages"):
                messages.warning(
                    request,
                    _(
                        "Saved. The background service is unavailable just now: "
                        "the e-mails and updates that follow from this change will be "
                        "sent as soon as it is back."
                    ),
                )
            return response
        finally:
            _not_queued.reset(token)
