"""What the mentor and student homes show of meetings, in a fixed number of queries.

"At risk": a published mentee with no confirmed meeting for the program's
``at_risk_after_days``, counted from the latest of the match's publication,
the cycle's kick-off and the student's last confirmed meeting. Any confirmed
meeting of the student in the cycle counts, whoever logged it (a group coach
too), as it does in the communication record. The mark shows only while
meetings are being logged (kick-off and tracking): before, nobody can be
late; after, the evaluation judges.
"""

import datetime

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.utils import timezone

from mentorship.models import Engagement, EngagementStatus
from mentorship.publishing import published_matches
from programs.models import ProgramKind, Stage, StageTransition

from .meetings import ANSWER_STAGES, LOGGING_STAGES
from .models import MeetingParticipant, ParticipantStatus

HOME_MEETINGS_SHOWN = 10


def confirmed_participations(cycle):
    """A cycle's confirmed meeting participations: what counts as a student's
    confirmed meeting everywhere (homes, dashboard, reminders, evaluation)."""
    return MeetingParticipant.objects.filter(
        meeting__cycle=cycle, status=ParticipantStatus.CONFIRMED
    )


def _student_meetings(status, enrollment="enrollment__"):
    return MeetingParticipant.objects.filter(
        student=OuterRef(f"{enrollment}student"),
        meeting__cycle=OuterRef(f"{enrollment}cycle"),
        status=status,
    )


def last_confirmed_meeting(enrollment="enrollment__"):
    """Subquery: when a student last had a confirmed meeting in the cycle,
    whoever logged it. The one definition the homes, the dashboard, the
    reminders and the evaluation's contact figures share. ``enrollment`` is
    the path to the enrollment from the outer query: "enrollment__" from a
    match (the default), "" from an enrollment."""
    return Subquery(
        _student_meetings(ParticipantStatus.CONFIRMED, enrollment)
        .order_by("-meeting__starts_at")
        .values("meeting__starts_at")[:1]
    )


def published_mentor_name():
    """Subquery on an enrollment: the name of the mentor of its published match."""
    return Subquery(
        published_matches()
        .filter(enrollment=OuterRef("pk"))
        .order_by("pk")
        .values("engagement__mentor__user__full_name")[:1]
    )


def kicked_off(cycle_ref):
    """Subquery: when the cycle at ``cycle_ref`` moved to kick-off."""
    return Subquery(
        StageTransition.objects.filter(cycle=OuterRef(cycle_ref), to_stage=Stage.KICK_OFF).values(
            "at"
        )[:1]
    )


def quiet_since(*, published_at, kicked_off_at, last_confirmed):
    """From when a pair's silence counts: the latest of the three moments."""
    return max(
        moment for moment in (published_at, kicked_off_at, last_confirmed) if moment is not None
    )


def mentee_overview(user, *, annotations=None):
    """The mentor's current engagements (accepted or ended, cycle not closed),
    newest first, mentor programs only, each with ``mentees``: its published matches with
    ``last_confirmed`` (a datetime or None), ``awaiting`` (a meeting of this
    mentor waits for the student's answer) and ``at_risk``, plus the match
    ``annotations`` a later app adds (assessments.risk). Two queries."""
    awaiting = _student_meetings(ParticipantStatus.PENDING).filter(
        meeting__author=OuterRef("engagement__mentor")
    )
    mentees = (
        published_matches()
        .select_related("enrollment__student__user")
        .annotate(
            last_confirmed=last_confirmed_meeting(),
            awaiting=Exists(awaiting),
            **(annotations or {}),
        )
        .order_by("enrollment__student__user__full_name", "pk")
    )
    engagements = list(
        Engagement.objects.for_user(user)
        .filter(status__in=[EngagementStatus.ACCEPTED, EngagementStatus.ENDED])
        .exclude(cycle__stage=Stage.CLOSED)
        # Coaching programs place students in groups, not with one mentor:
        # their students are on the group pages.
        .exclude(cycle__program__kind=ProgramKind.COACHING)
        .select_related("cycle__program")
        .annotate(kicked_off_at=kicked_off("cycle"))
        .prefetch_related(Prefetch("matches", queryset=mentees, to_attr="mentees"))
        .order_by("-cycle__starts_on", "pk")
    )
    now = timezone.now()
    for engagement in engagements:
        for match in engagement.mentees:
            match.at_risk = is_at_risk(engagement=engagement, match=match, now=now)
    return engagements


def is_at_risk(*, engagement, match, now):
    """Whether ``match`` (annotated with ``last_confirmed``) is at risk now;
    ``engagement`` carries ``kicked_off_at`` and its cycle and program."""
    cycle = engagement.cycle
    if cycle.stage not in LOGGING_STAGES:
        return False
    since = quiet_since(
        published_at=match.published_at,
        kicked_off_at=engagement.kicked_off_at,
        last_confirmed=match.last_confirmed,
    )
    return now - since > datetime.timedelta(days=cycle.program.at_risk_after_days)


def with_quiet(enrollments, *, cycle, now):
    """``enrollments`` of ``cycle`` (its program loaded) annotated with
    ``quiet``: :func:`is_at_risk` of their published match, decided in the
    database, so that a cohort's dashboard reads none of its matches. The
    same rule: every moment :func:`quiet_since` takes (publication, kick-off,
    last confirmed meeting) lies further back than the program's
    ``at_risk_after_days``; never in coaching programs or outside the
    logging stages."""
    if cycle.program.kind != ProgramKind.MENTOR or cycle.stage not in LOGGING_STAGES:
        return enrollments.annotate(quiet=Value(False))
    cutoff = now - datetime.timedelta(days=cycle.program.at_risk_after_days)
    published_before = published_matches().filter(
        enrollment=OuterRef("pk"), enrollment__cycle=cycle, published_at__lt=cutoff
    )
    met_since = confirmed_participations(cycle).filter(
        student=OuterRef("student"), meeting__starts_at__gte=cutoff
    )
    kicked_off_before = Q(kicked_off_at__isnull=True) | Q(kicked_off_at__lt=cutoff)
    quiet = Q(Exists(published_before)) & ~Q(Exists(met_since)) & kicked_off_before
    return enrollments.annotate(kicked_off_at=kicked_off("cycle")).annotate(
        quiet=ExpressionWrapper(quiet, output_field=BooleanField())
    )


def meetings_to_confirm(user):
    """The student's meetings waiting for their answer, oldest first (at most
    HOME_MEETINGS_SHOWN), while their cycles still take answers. One query."""
    return list(
        MeetingParticipant.objects.filter(
            student__user=user,
            status=ParticipantStatus.PENDING,
            meeting__cycle__stage__in=ANSWER_STAGES,
        )
        .select_related("meeting__author__user", "meeting__group")
        .order_by("meeting__starts_at", "pk")[:HOME_MEETINGS_SHOWN]
    )
