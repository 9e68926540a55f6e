"""The progress dashboard's figures for a cycle or one of its groups.

Every figure is computed in the database or from a fixed number of queries,
whatever the number of students: the page never asks once per row.

Who counts: the cycle's matched students and the mentors who took part (the
survey's people, assessments.survey_stats). A group's dashboard keeps only
its published students and its coaches; its activities are those it
organises or is invited to, counted among its members. Who is at risk:
assessments.dashboard_risk.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import TruncMonth
from django.utils import timezone

from mentorship.models import Group, GroupMembership, GroupRole
from programs.models import CompetenceDimension
from sessions_app.activities import ATTENDING
from sessions_app.models import (
    Activity,
    ActivityInvitation,
    Attendance,
    Meeting,
    MeetingParticipant,
    ParticipantStatus,
)

from .dashboard_risk import at_risk_students, required_deliverables
from .models import Moment, Rating, Requirement, ReviewDecision
from .survey_stats import survey_figures, surveyed_engagements, surveyed_enrollments


def _published_members(group):
    return GroupMembership.objects.filter(group=group, published_at__isnull=False)


@dataclass(frozen=True)
class Scope:
    """A cycle (with its program loaded), or one of its groups."""

    cycle: object
    group: object = None

    @property
    def enrollments(self):
        enrollments = surveyed_enrollments(self.cycle)
        if self.group is None:
            return enrollments
        members = _published_members(self.group).filter(student=OuterRef("student"))
        return enrollments.filter(Exists(members))

    @property
    def engagements(self):
        engagements = surveyed_engagements(self.cycle)
        if self.group is None:
            return engagements
        return engagements.filter(Exists(self.group.memberships.filter(mentor=OuterRef("mentor"))))


@dataclass
class Completion:
    requirement: Requirement
    students: int
    submitted: int  # students who handed in at least one version
    accepted: int  # of whom a version was accepted
    late: int  # of whom a version came after the due date
    past_due: bool

    @property
    def waiting(self):
        return self.submitted - self.accepted

    @property
    def missing(self):
        return self.students - self.submitted

    @property
    def share(self):
        return self.submitted / self.students if self.students else None


def completion(scope, *, students, now):
    """Each required deliverable of the cycle, by due date, with how many of
    the scope's ``students`` handed it in, had it accepted, or were late. One query."""
    in_scope = Q(submissions__enrollment__in=scope.enrollments.values("pk"))
    accepted = Q(submissions__reviews__decision=ReviewDecision.ACCEPTED)
    requirements = required_deliverables(scope.cycle).annotate(
        submitted=Count("submissions__enrollment", distinct=True, filter=in_scope),
        accepted=Count("submissions__enrollment", distinct=True, filter=in_scope & accepted),
        late=Count(
            "submissions__enrollment",
            distinct=True,
            filter=in_scope & Q(submissions__late=True),
        ),
    )
    return [
        Completion(
            requirement=requirement,
            students=students,
            submitted=requirement.submitted,
            accepted=requirement.accepted,
            late=requirement.late,
            past_due=requirement.due_at < now,
        )
        for requirement in requirements
    ]


@dataclass
class GroupCompletion:
    group: Group
    students: int
    submitted: list  # per requirement, in the order given

    @property
    def shares(self):
        return [n / self.students if self.students else None for n in self.submitted]

    @property
    def share(self):
        """Of everything its students had to hand in, how much they did."""
        expected = self.students * len(self.submitted)
        return sum(self.submitted) / expected if expected else None


def furthest_behind(groups, shown):
    """The ``shown`` groups whose students handed in least, then by name;
    groups with nothing to hand in or no students last."""
    return sorted(
        groups, key=lambda row: (row.share is None, row.share or 0, row.group.name, row.group.pk)
    )[:shown]


def group_completion(scope, requirements):
    """Per group of the cycle: its published students and how many of them
    handed in each of ``requirements`` (a student placed in two groups counts
    in both, as in their students). Two queries."""
    student_members = Q(
        memberships__role=GroupRole.STUDENT,
        memberships__published_at__isnull=False,
        memberships__student__in=scope.enrollments.values("student"),
    )
    groups = (
        Group.objects.filter(cycle=scope.cycle)
        .annotate(students=Count("memberships", filter=student_members))
        .order_by("name", "pk")
    )
    # One grouped join from the cycle's published student places to the
    # versions of their students: a subquery per version looking up its
    # student's group scanned the cycle's groups once for every version.
    counts = {
        (row["group"], row["requirement"]): row["n"]
        for row in GroupMembership.objects.filter(
            group__cycle=scope.cycle,
            role=GroupRole.STUDENT,
            published_at__isnull=False,
            # The cycle said twice: on the join, it lets the planner go from
            # the cycle's places to their students' versions by index.
            student__enrollments__cycle=scope.cycle,
            student__enrollments__in=scope.enrollments.values("pk"),
            student__enrollments__submissions__requirement__in=[r.pk for r in requirements],
        )
        .order_by()
        .values("group", requirement=F("student__enrollments__submissions__requirement"))
        .annotate(n=Count("student__enrollments", distinct=True))
    }
    return [
        GroupCompletion(
            group=group,
            students=group.students,
            submitted=[counts.get((group.pk, r.pk), 0) for r in requirements],
        )
        for group in groups
    ]


# A cycle lasts about a year: an end date further out (a typo) draws no more
# months than this, though a month with meetings is always drawn.
AXIS_MONTHS = 36


def _month_number(day):
    return day.year * 12 + day.month - 1


def month_axis(starts_on, ends_on, months_with_data):
    """First days of the months to chart: the cycle's, cut at AXIS_MONTHS,
    and every month of ``months_with_data``. Counted in month numbers, so
    no date past the last one is ever built (9999-12 has no next month)."""
    start = _month_number(starts_on)
    data = [_month_number(month) for month in months_with_data]
    first = min([start, *data])
    last = max([min(_month_number(ends_on), start + AXIS_MONTHS - 1), *data])
    return [datetime.date(number // 12, number % 12 + 1, 1) for number in range(first, last + 1)]


def meetings_per_month(scope):
    """``[(first day of the month, confirmed meetings)]`` over the cycle's
    months (and any month outside them that had one). A meeting counts once,
    when one of the scope's students confirmed it. One query."""
    confirmed = MeetingParticipant.objects.filter(
        meeting=OuterRef("pk"),
        status=ParticipantStatus.CONFIRMED,
        student__in=scope.enrollments.values("student"),
    )
    counts = {
        timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month: n
        for month, n in Meeting.objects.filter(cycle=scope.cycle)
        .filter(Exists(confirmed))
        .order_by()
        .annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    }
    axis = month_axis(scope.cycle.starts_on, scope.cycle.ends_on, counts)
    return [(month, counts.get(month, 0)) for month in axis]


@dataclass
class ActivityAttendance:
    activity: Activity
    invited: int
    said_yes: int  # going or on the waiting list
    present: int


def activity_attendance(scope, *, latest=None):
    """The cycle's activities by start (only the ``latest`` that started
    last, when given), with how many people were invited, said yes and were
    present, and how many activities there are in all. Invited follows
    sessions_app.activity_access: people invited on their own, the published
    members of an invited group, the coaches of the organising group. Three
    queries."""
    activities = Activity.objects.filter(cycle=scope.cycle)
    counted = Q()
    if scope.group is not None:
        invited_group = ActivityInvitation.objects.filter(
            activity=OuterRef("pk"), group=scope.group
        )
        activities = activities.filter(Q(group=scope.group) | Q(Exists(invited_group)))
        members = _published_members(scope.group)
        counted = Q(registrations__user__in=members.values("mentor__user")) | Q(
            registrations__user__in=members.values("student__user")
        )
    activities = activities.annotate(
        said_yes=Count("registrations", filter=counted & Q(registrations__status__in=ATTENDING)),
        present=Count(
            "registrations", filter=counted & Q(registrations__attendance=Attendance.PRESENT)
        ),
        total=Window(Count("pk")),
    ).order_by("-starts_at", "-pk")
    activities = list(activities[:latest])[::-1]
    invitations = list(
        ActivityInvitation.objects.filter(activity__in=activities)
        .order_by()
        .values_list("activity", "group", "user")
    )
    groups = {group for _, group, _ in invitations if group}
    groups |= {activity.group_id for activity in activities if activity.group_id}
    if scope.group is not None:
        groups.add(scope.group.pk)
    published, coaches = {}, {}
    for group, mentor_user, student_user, published_at in GroupMembership.objects.filter(
        group__in=groups
    ).values_list("group", "mentor__user", "student__user", "published_at"):
        if published_at is not None:
            published.setdefault(group, set()).add(mentor_user or student_user)
        if mentor_user:
            coaches.setdefault(group, set()).add(mentor_user)
    invited = {activity.pk: set(coaches.get(activity.group_id, ())) for activity in activities}
    for activity, group, user in invitations:
        invited[activity] |= published.get(group, set()) if group else {user}
    if scope.group is not None:
        people = published.get(scope.group.pk, set())
        invited = {pk: users & people for pk, users in invited.items()}
    rows = [
        ActivityAttendance(
            activity=activity,
            invited=len(invited[activity.pk]),
            said_yes=activity.said_yes,
            present=activity.present,
        )
        for activity in activities
    ]
    return rows, activities[0].total if activities else 0


@dataclass
class CompetenceChange:
    dimension: CompetenceDimension
    start: float | None  # mean self-rated level, 1-5
    end: float | None
    rated_start: int  # students who rated the dimension at the start
    rated_end: int

    @property
    def change(self):
        return None if self.start is None or self.end is None else self.end - self.start


def competence_change(scope):
    """Per competence dimension of the program: the scope's mean self-rating
    at the start and at the end of the cycle. Two queries."""
    figures = {
        (dimension, moment): (mean, n)
        for dimension, moment, mean, n in Rating.objects.filter(
            self_assessment__enrollment__in=scope.enrollments.values("pk")
        )
        .order_by()
        .values("dimension", "self_assessment__moment")
        .annotate(mean=Avg("level"), n=Count("pk"))
        .values_list("dimension", "self_assessment__moment", "mean", "n")
    }
    rows = []
    for dimension in CompetenceDimension.objects.filter(program=scope.cycle.program_id):
        start, rated_start = figures.get((dimension.pk, Moment.START), (None, 0))
        end, rated_end = figures.get((dimension.pk, Moment.END), (None, 0))
        rows.append(CompetenceChange(dimension, start, end, rated_start, rated_end))
    return rows


@dataclass
class Dashboard:
    scope: Scope
    students: int
    completion: list
    groups: list  # the GROUPS_SHOWN furthest behind, on a whole cycle's dashboard only
    groups_total: int
    meetings: list
    attendance: list  # the ACTIVITIES_SHOWN latest
    activities_total: int
    at_risk: list  # the first AT_RISK_SHOWN of them
    at_risk_total: int
    competence: list
    survey: object  # survey_stats.SurveyFigures


# The dashboard names this many students at risk; the rest are on their own
# page (views_dashboard), so the page does not grow with the cohort.
AT_RISK_SHOWN = 50
# Groups and activities grow with the cohort too (a group of about twenty
# students, three activities each): a cycle's dashboard charts the groups
# furthest behind, whose own dashboards have the rest, and the latest
# activities.
GROUPS_SHOWN = 20
ACTIVITIES_SHOWN = 20


def dashboard(scope, *, now=None):
    """Every figure of the dashboard for ``scope``. At most 15 queries."""
    now = now or timezone.now()
    students = scope.enrollments.count()
    completed = completion(scope, students=students, now=now)
    requirements = [row.requirement for row in completed]
    at_risk = at_risk_students(scope, requirements=requirements, now=now, stop=AT_RISK_SHOWN)
    groups = group_completion(scope, requirements) if scope.group is None else []
    attendance, activities_total = activity_attendance(scope, latest=ACTIVITIES_SHOWN)
    return Dashboard(
        scope=scope,
        students=students,
        completion=completed,
        groups=furthest_behind(groups, GROUPS_SHOWN),
        groups_total=len(groups),
        meetings=meetings_per_month(scope),
        attendance=attendance,
        activities_total=activities_total,
        at_risk=at_risk.rows,
        at_risk_total=at_risk.total,
        competence=competence_change(scope),
        survey=survey_figures(
            scope.cycle, enrollments=scope.enrollments, engagements=scope.engagements
        ),
    )
