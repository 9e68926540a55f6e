"""Celery tasks of mentorship. All are safe to run again (reminders through
the ledger's claims, event e-mails through mentorship/events.py), so a task
re-run after a lost worker or a retry after a mail error mails nobody twice."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.module_loading import import_string

from programs.tasks_util import requeue_pending

from .events import MAIL_ERRORS
from .reminders import run_reminders
from .roster_imports import run_roster_import

# What a retry may cure: the mail server, the network, or the database
# restarting (a task that ran while PostgreSQL was down was otherwise dropped).
RETRY_ERRORS = (*MAIL_ERRORS, OperationalError, InterfaceError)

# A mail server that is down comes back within minutes, not seconds: back off
# from 30 s to 10 min, jittered so queued tasks do not retry in step.
MAIL_RETRIES = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": RETRY_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(
    # The sweep and its sends finish in seconds; the limits end a hung SMTP
    # connection before beat queues the next run (every 15 minutes by default).
    soft_time_limit=600,
    time_limit=660,
    **MAIL_RETRIES,
)
def run_reminders_task():
    """Queue the tasks owed but not queued (programs.tasks_util), then one
    sweep and its sends; returns the counts."""
    now = timezone.now()
    requeued = requeue_pending(now=now)
    lease = timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    return {**run_reminders(now=now, lease=lease), "requeued": requeued}


def event_task(path):
    """A task (named ``path``) calling the function at ``path`` with plain ids
    as keyword arguments and ``last_try``, for e-mails about an event.

    The function mails each person once however often it runs (EventMail) and
    raises a mail error to be retried. Its last try hands whoever it did not
    reach to the digest instead: so does every run in the embedded default
    (tasks run eagerly, in the request), where retrying at once cannot help
    and the committed change must not become an error page.
    """

    def run(self, **ids):
        # Imported when run: the services queue these tasks.
        send = import_string(path)
        send(**ids, last_try=self.request.is_eager or self.request.retries >= self.max_retries)

    # An event's mails take seconds; the limits end a hung SMTP connection.
    options = {**MAIL_RETRIES, "soft_time_limit": 300, "time_limit": 360}
    return shared_task(bind=True, name=path, **options)(run)


send_publication_emails_task = event_task("mentorship.publishing.send_publication_emails")
send_group_publication_emails_task = event_task(
    "mentorship.publishing.send_group_publication_emails"
)
send_opportunity_emails_task = event_task("mentorship.opportunities.send_opportunity_emails")


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=1800, time_limit=1860)
def run_roster_import_task(import_id):
    """Preview or import a long roster file (mentorship.roster_imports)."""
    run_roster_import(import_id=import_id)
