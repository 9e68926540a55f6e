"""Where each computed measure of an evaluation finds its evidence: querysets
over a whole cycle. The measures (assessments.evaluation_measures) aggregate
them for every subject at once; the drill-down pages
(assessments.evaluation_evidence) list one subject's rows and recompute the
figure from them, so both read the same records by the same rules.

What counts: versions of required deliverables not late and accepted;
meetings a student confirmed; for spread, those within the cycle up to now;
going registrations of past activities whose attendance was taken, less the
excused (and who such an activity was held for, whose missing record is 0);
recommendations whose status moved past "new"; end-of-cycle
self-ratings paired with the start rating of the same dimension; a mentor's
meetings with at least one confirmed participant; a mentee's versions whose
review time is up, reviewed in time by anyone; students' 1-5 answers about
their mentor; a group's past activities it organised or was invited to.
"""

import datetime

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from mentorship.models import GroupMembership, GroupRole, Match, OpportunityRecipient
from mentorship.models.opportunities import RecipientStatus
from programs.evaluation_rules import Audience
from programs.reminder_policy import policies_for
from sessions_app.models import (
    Activity,
    ActivityInvitation,
    Attendance,
    Meeting,
    MeetingParticipant,
    ParticipantStatus,
    Registration,
    RegistrationStatus,
)
from sessions_app.overview import confirmed_participations

from .models import Moment, Rating, Requirement, Review, ReviewDecision, Submission, SurveyAnswer


def required_requirements(cycle):
    return Requirement.objects.filter(cycle=cycle, kind__required=True)


def handed_in_and_accepted(cycle):
    """Versions of required deliverables handed in on time and accepted (a
    version has at most one decision)."""
    return Submission.objects.filter(
        requirement__in=required_requirements(cycle),
        late=False,
        reviews__decision=ReviewDecision.ACCEPTED,
    )


def spread_window(cycle, now):
    """(from, until, months): the cycle's months up to its end or ``now``."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(cycle.starts_on, datetime.time.min, zone)
    end = datetime.datetime.combine(
        cycle.ends_on + datetime.timedelta(days=1), datetime.time.min, zone
    )
    last = min(cycle.ends_on, timezone.localdate(now))
    months = (last.year - cycle.starts_on.year) * 12 + last.month - cycle.starts_on.month + 1
    return start, min(end, now), max(months, 1)


def spread_participations(cycle, now):
    start, until, _months = spread_window(cycle, now)
    return confirmed_participations(cycle).filter(
        meeting__starts_at__gte=start, meeting__starts_at__lt=until
    )


def expected_attendance(cycle, now):
    """Going registrations of the cycle's past activities whose attendance was
    taken, less the excused: who was expected to come."""
    return Registration.objects.filter(
        activity__in=attendance_taken(cycle, now), status=RegistrationStatus.GOING
    ).exclude(attendance=Attendance.EXCUSED)


def attendance_taken(cycle, now):
    """The cycle's past activities whose attendance was taken."""
    taken = Registration.objects.filter(activity=OuterRef("pk")).exclude(attendance="")
    return held_activities(cycle, now).filter(Exists(taken))


def expected_at_activities(cycle, now):
    """(user ids, student profile ids) of those an activity with attendance
    taken was held for: invited in person, or a published student of a group
    that organised it or was invited. For them, no attendance record scores
    0; for the others attendance does not apply. Two queries."""
    taken = attendance_taken(cycle, now)
    users = set(
        ActivityInvitation.objects.filter(activity__in=taken, user__isnull=False).values_list(
            "user", flat=True
        )
    )
    students = set(
        member_students(cycle)
        .filter(Q(group__activities__in=taken) | Q(group__activity_invitations__activity__in=taken))
        .values_list("student", flat=True)
        .distinct()
    )
    return users, students


def received_recommendations(cycle):
    return OpportunityRecipient.objects.filter(opportunity__cycle=cycle)


ACTED_ON = ~Q(status=RecipientStatus.NEW)


def rating_pairs(cycle):
    """Per student (``self_assessment__enrollment``) and ``dimension``, the
    ``start_level`` and ``end_level`` of their self-ratings, where both exist."""
    return (
        Rating.objects.filter(self_assessment__enrollment__cycle=cycle)
        .order_by()
        .values("self_assessment__enrollment", "dimension")
        .annotate(
            start_level=Max("level", filter=Q(self_assessment__moment=Moment.START)),
            end_level=Max("level", filter=Q(self_assessment__moment=Moment.END)),
        )
        .filter(start_level__isnull=False, end_level__isnull=False)
    )


def published_mentees(cycle):
    return Match.objects.filter(engagement__cycle=cycle, published_at__isnull=False)


def confirmed_meetings(cycle):
    confirmed = MeetingParticipant.objects.filter(
        meeting=OuterRef("pk"), status=ParticipantStatus.CONFIRMED
    )
    return Meeting.objects.filter(cycle=cycle).filter(Exists(confirmed))


def review_wait(cycle):
    policy = policies_for([cycle.program_id])[cycle.program_id]
    return datetime.timedelta(days=policy.review_waiting_days)


def versions_due_for_review(cycle, now, wait):
    """Mentees' versions whose review time is up or that were reviewed, with
    ``on_time``: reviewed (by anyone) within ``wait`` of being submitted."""
    reviewed = Review.objects.filter(
        submission=OuterRef("pk"), created_at__lte=OuterRef("submitted_at") + wait
    )
    return (
        Submission.objects.filter(
            requirement__cycle=cycle,
            enrollment__match__engagement__cycle=cycle,
            enrollment__match__published_at__isnull=False,
        )
        .annotate(on_time=Exists(reviewed))
        .filter(Q(on_time=True) | Q(submitted_at__lte=now - wait))
    )


def mentee_ratings(cycle):
    """Students' 1-5 answers about their (published) mentor."""
    return SurveyAnswer.objects.filter(
        response__cycle=cycle,
        response__audience=Audience.STUDENT,
        question__about_mentor=True,
        value__isnull=False,
        response__enrollment__match__published_at__isnull=False,
    )


def member_students(cycle):
    return GroupMembership.objects.filter(
        group__cycle=cycle, role=GroupRole.STUDENT, published_at__isnull=False
    )


def held_activities(cycle, now):
    return Activity.objects.filter(cycle=cycle, ends_at__lte=now)


def activities_of_group(cycle, now, group):
    """Past activities the group organised or was invited to; ``group`` is an
    id or an OuterRef to the group of an enclosing query."""
    # The invitation subquery sits one level deeper than the activities.
    outer = OuterRef(group) if isinstance(group, OuterRef) else group
    invited = ActivityInvitation.objects.filter(activity=OuterRef("pk"), group=outer)
    return held_activities(cycle, now).filter(Q(group=group) | Exists(invited))
