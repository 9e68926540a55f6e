"""Celery tasks of mentorship. Only reminders for now: they are idempotent
(see mentorship/reminders.py), so a task re-run after a lost worker is safe."""

import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .reminders import run_reminders


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    # The sweep and its sends finish in seconds; the limits end a hung SMTP
    # connection before beat queues the next run (every 15 minutes by default).
    soft_time_limit=600,
    time_limit=660,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def run_reminders_task():
    """One sweep and its sends; returns the counts."""
    lease = timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    return run_reminders(now=timezone.now(), lease=lease)
