"""Celery tasks of sessions_app: the e-mails of meetings and activities, each
mailing a person once however often it runs (mentorship/events.py)."""

from mentorship.tasks import event_task

send_confirmation_requests_task = event_task(
    "sessions_app.meeting_mails.send_confirmation_requests"
)
send_dispute_notice_task = event_task("sessions_app.meeting_mails.send_dispute_notice")
notify_promoted_task = event_task("sessions_app.activities.notify_promoted")
