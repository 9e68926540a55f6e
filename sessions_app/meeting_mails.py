"""The e-mails of meetings: asking students to confirm, telling the author of
a dispute. Sent by Celery tasks (sessions_app.tasks) once the change is
committed; each mails a person once per event however often it runs, and
lists the event in their notification centre (mentorship/events.py)."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from mentorship.emails import absolute_url
from mentorship.events import EventMail
from mentorship.reminders import notify

from .models import MeetingParticipant, ParticipantStatus


def send_confirmation_requests(*, participant_ids, changed=False, last_try=True):
    """Ask each participant of ``participant_ids`` to confirm their meeting,
    once per version of the record however often this runs.

    Plain ids in, for a Celery task; mail errors and ``last_try`` as in
    EventMail.finish. A changed record asks again: its request is another
    event, named by when the meeting was last changed.
    """
    participants = list(
        MeetingParticipant.objects.filter(pk__in=participant_ids).select_related(
            "student__user", "meeting__author__user", "meeting__cycle"
        )
    )
    url = absolute_url(reverse("student_meetings"))
    keys = {p.pk: _to_confirm_key(p, changed) for p in participants}
    mail = EventMail(kind="meeting_to_confirm", subject_keys=keys.values(), log_name="meeting")
    for participant in participants:
        mail.send(
            participant.student.user,
            "sessions_app/email/meeting_to_confirm",
            {"meeting": participant.meeting, "changed": changed, "meetings_url": url},
            subject_key=keys[participant.pk],
            payload=_to_confirm_payload(participant),
        )
    mail.finish(last_try=last_try)


def _to_confirm_key(participant, changed):
    key = f"sessions_app.participant:{participant.pk}"
    if changed:
        key += f"/changed:{participant.meeting.updated_at.isoformat()}"
    return key


def _to_confirm_payload(participant):
    return {
        "title": gettext_noop("Please confirm a meeting with your mentor"),
        "context": str(participant.meeting.cycle),
        "url": reverse("student_meetings"),
    }


def record_meeting_to_confirm(participant, *, now):
    """List ``participant``'s meeting to confirm in the student's notification
    centre, marked sent: the caller has told them by e-mail already."""
    notify(
        recipient=participant.student.user_id,
        kind="meeting_to_confirm",
        subject_key=_to_confirm_key(participant, changed=False),
        payload=_to_confirm_payload(participant),
        now=now,
        sent=True,
    )


def send_dispute_notice(*, participant_id, last_try=True):
    """Tell the meeting's author that ``participant_id`` disputed it, once per
    dispute however often this runs; nothing once the answer has changed or
    the student was taken off the meeting.
    Mail errors and ``last_try`` as in EventMail.finish."""
    participant = (
        MeetingParticipant.objects.select_related(
            "student__user", "meeting__author__user", "meeting__cycle"
        )
        .filter(pk=participant_id)
        .first()
    )
    # The author may have taken the student off the meeting before this ran.
    if participant is None or participant.status != ParticipantStatus.DISPUTED:
        return
    meeting = participant.meeting
    path = reverse("mentor_meeting", args=[meeting.pk])
    subject_key = (
        f"sessions_app.participant:{participant.pk}/disputed:{participant.answered_at.isoformat()}"
    )
    mail = EventMail(kind="meeting_disputed", subject_keys=[subject_key], log_name="meeting")
    mail.send(
        meeting.author.user,
        "sessions_app/email/meeting_disputed",
        {"meeting": meeting, "participant": participant, "meeting_url": absolute_url(path)},
        subject_key=subject_key,
        payload={
            "title": gettext_noop("A student disputed your record of a meeting"),
            "context": str(meeting.cycle),
            "url": path,
        },
    )
    mail.finish(last_try=last_try)
