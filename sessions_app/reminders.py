"""Meeting and activity reminders for the ledger (mentorship.reminders).

- Communication gap: a published pair (mentor programs) with no confirmed
  meeting for the program's ``meeting_gap_days``, counted as the homes' "at
  risk" mark counts (sessions_app.overview), is nudged, both student and
  mentor, and again every ``meeting_gap_days`` while the silence lasts. A new
  confirmed meeting restarts the count under a new subject.
- Unconfirmed meeting: the student is nudged once, ``unconfirmed_meeting_days``
  after the meeting was logged, while their answer is still pending.
- Activities: ``activity_hours_before`` the start, once, to those going.

Nothing for closed cycles or withdrawn enrollments.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from mentorship.models import Enrollment, EnrollmentStatus
from mentorship.publishing import published_matches
from mentorship.reminders import Due
from programs.models import Cycle, ProgramKind, Stage
from programs.reminder_policy import policies_for

from .meetings import ANSWER_STAGES, LOGGING_STAGES
from .models import MeetingParticipant, ParticipantStatus, Registration
from .models.activities import RegistrationStatus
from .overview import kicked_off, last_confirmed_meeting, quiet_since

GAP = "meeting_gap"
UNCONFIRMED = "meeting_unconfirmed"
ACTIVITY = "activity_soon"
GAP_STUDENT = gettext_noop("No confirmed meeting with your mentor for a while")
GAP_MENTOR = gettext_noop("No confirmed meeting with your mentee for a while")
UNCONFIRMED_TITLE = gettext_noop("A meeting waits for your confirmation")
ACTIVITY_TITLE = gettext_noop("An activity you are going to starts soon")


def _policies(stages):
    programs = Cycle.objects.filter(stage__in=stages).values_list("program_id", flat=True)
    return policies_for(programs)


def gap_reminders(now):
    """Communication gaps due at ``now``. Three queries."""
    policies = _policies(LOGGING_STAGES)
    if not policies:
        return
    matches = (
        published_matches()
        .filter(enrollment__cycle__stage__in=LOGGING_STAGES)
        .exclude(enrollment__status=EnrollmentStatus.WITHDRAWN)
        .exclude(enrollment__cycle__program__kind=ProgramKind.COACHING)
        .annotate(
            last_confirmed=last_confirmed_meeting(), kicked_off_at=kicked_off("enrollment__cycle")
        )
        .select_related(
            "enrollment__cycle__program", "enrollment__student__user", "engagement__mentor__user"
        )
        .order_by("pk")
    )
    for match in matches:
        program = match.enrollment.cycle.program
        gap = timedelta(days=policies[program.pk].meeting_gap_days)
        since = quiet_since(
            published_at=match.published_at,
            kicked_off_at=match.kicked_off_at,
            last_confirmed=match.last_confirmed,
        )
        steps = (now - since) // gap
        if steps < 1:
            continue
        due_on = timezone.localdate(since + steps * gap)
        subject = f"mentorship.match:{match.pk}/since:{since.isoformat()}"
        student = match.enrollment.student.user
        mentor = match.engagement.mentor.user
        for recipient, other, title, url in (
            (student, mentor, GAP_STUDENT, reverse("student_meetings")),
            (mentor, student, GAP_MENTOR, reverse("mentor_meeting_new")),
        ):
            yield Due(
                recipient_id=recipient.pk,
                kind=GAP,
                subject_key=subject,
                due_on=due_on,
                offset_days=0,
                payload={
                    "title": title,
                    "context": f"{other.full_name} · {program.name}",
                    "url": url,
                    "show_when": False,
                },
            )


def unconfirmed_reminders(now):
    """Meetings waiting for the student's answer, due at ``now``. Three queries."""
    policies = _policies(ANSWER_STAGES)
    if not policies:
        return
    shortest = min(policy.unconfirmed_meeting_days for policy in policies.values())
    enrolled = Enrollment.objects.active().filter(
        student=OuterRef("student"), cycle=OuterRef("meeting__cycle")
    )
    participants = (
        MeetingParticipant.objects.filter(
            status=ParticipantStatus.PENDING,
            meeting__cycle__stage__in=ANSWER_STAGES,
            meeting__created_at__lte=now - timedelta(days=shortest),
        )
        .filter(Exists(enrolled))
        .select_related("meeting__cycle__program", "meeting__author__user", "student")
        .order_by("pk")
    )
    for participant in participants:
        meeting = participant.meeting
        days = policies[meeting.cycle.program_id].unconfirmed_meeting_days
        due_at = meeting.created_at + timedelta(days=days)
        if due_at > now:
            continue
        yield Due(
            recipient_id=participant.student.user_id,
            kind=UNCONFIRMED,
            subject_key=f"sessions.participant:{participant.pk}",
            due_on=timezone.localdate(due_at),
            offset_days=0,
            payload={
                "title": UNCONFIRMED_TITLE,
                "context": f"{meeting.author.user.full_name} · {meeting.cycle.program.name}",
                "url": reverse("student_meetings"),
                "show_when": False,
            },
        )


def activity_reminders(now):
    """Activities starting soon, to those going. Three queries."""
    policies = _policies([stage for stage in Stage.values if stage != Stage.CLOSED])
    if not policies:
        return
    longest = max(policy.activity_hours_before for policy in policies.values())
    registrations = (
        Registration.objects.filter(
            status=RegistrationStatus.GOING,
            activity__starts_at__gt=now,
            activity__starts_at__lte=now + timedelta(hours=longest),
        )
        .exclude(activity__cycle__stage=Stage.CLOSED)
        .select_related("activity__cycle__program")
        .order_by("pk")
    )
    for registration in registrations:
        activity = registration.activity
        hours = policies[activity.cycle.program_id].activity_hours_before
        due_at = activity.starts_at - timedelta(hours=hours)
        if due_at > now:
            continue
        yield Due(
            recipient_id=registration.user_id,
            kind=ACTIVITY,
            subject_key=f"sessions.activity:{activity.pk}",
            due_on=timezone.localdate(due_at),
            offset_days=0,
            payload={
                "title": ACTIVITY_TITLE,
                "context": activity.title,
                "url": reverse("activity_detail", args=[activity.pk]),
                "text": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
                "show_when": False,
            },
        )
