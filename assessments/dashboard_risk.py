"""Who is at risk on the progress dashboard (assessments.dashboard), by the
one rule of assessments.risk: quiet (sessions_app.overview.is_at_risk) or a
required deliverable overdue. Each row names the mentor (or the group) and
the last confirmed meeting, whatever flagged it."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Window

from mentorship.models import Engagement, GroupMembership, GroupRole
from mentorship.publishing import published_matches
from programs.models import ProgramKind
from sessions_app.overview import (
    is_at_risk,
    kicked_off,
    last_confirmed_meeting,
    published_mentor_name,
)

from .models import Requirement, Submission
from .risk import overdue_among


@dataclass
class AtRisk:
    enrollment: object
    mentor: str = ""  # the mentor's name (mentor programs) or the group's
    last_confirmed: datetime.datetime | None = None
    quiet: bool = False  # no confirmed meeting for too long
    overdue: list = field(default_factory=list)  # requirements past due, nothing handed in


def _quiet_students(scope, now):
    """Ids of the scope's published mentees the homes mark at risk. Two queries; none in
    coaching programs, whose students meet their group rather than one mentor."""
    if scope.cycle.program.kind != ProgramKind.MENTOR:
        return {}
    # Only which are at risk counts: unordered, so the matches are not
    # joined to every table their default ordering names.
    matches = published_matches().filter(enrollment__in=scope.enrollments.values("pk")).order_by()
    engagements = (
        Engagement.objects.filter(cycle=scope.cycle)
        .select_related("cycle__program", "mentor__user")
        .annotate(kicked_off_at=kicked_off("cycle"))
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=matches.annotate(last_confirmed=last_confirmed_meeting()),
                to_attr="scoped_matches",
            )
        )
    )
    return {
        match.enrollment_id
        for engagement in engagements
        for match in engagement.scoped_matches
        if is_at_risk(engagement=engagement, match=match, now=now)
    }


def required_deliverables(cycle):
    """The cycle's required deliverables, by due date: the ones the rule and
    the dashboard's completion count."""
    return (
        Requirement.objects.filter(cycle=cycle, kind__required=True)
        .select_related("kind")
        .order_by("due_at", "pk")
    )


@dataclass
class AtRiskPage:
    rows: list  # AtRisk, by name, from ``start``
    total: int  # everyone at risk in the scope, shown or not


def at_risk_students(scope, *, requirements, now, start=0, stop=None):
    """The scope's students at risk, by name, each with why: those from
    ``start`` to ``stop`` (all by default), with how many there are in all.
    At most four queries in mentor programs, two in coaching programs."""
    quiet = _quiet_students(scope, now)
    past_due = [r for r in requirements if r.due_at < now]
    flagged = Q(pk__in=list(quiet)) | overdue_among(past_due)
    group_name = GroupMembership.objects.filter(
        student=OuterRef("student"),
        group__cycle=scope.cycle,
        role=GroupRole.STUDENT,
        published_at__isnull=False,
    ).values("group__name")[:1]
    # Every row names its mentor and last confirmed meeting, whatever flagged
    # it: an overdue deliverable does not make the mentor disappear. The
    # total rides on the rows' query, so a page of a large cohort costs no
    # query more than the whole list.
    enrollments = list(
        scope.enrollments.filter(flagged)
        .select_related("student__user")
        .annotate(
            total=Window(Count("pk")),
            group_name=Subquery(group_name),
            mentor_name=published_mentor_name(),
            last_confirmed=last_confirmed_meeting(enrollment=""),
        )
        .order_by("student__user__full_name", "pk")[start:stop]
    )
    total = enrollments[0].total if enrollments else 0
    handed_in = set(
        Submission.objects.filter(enrollment__in=enrollments, requirement__in=past_due)
        .order_by()
        .values_list("enrollment", "requirement")
        .distinct()
    )
    rows = []
    for enrollment in enrollments:
        rows.append(
            AtRisk(
                enrollment=enrollment,
                mentor=enrollment.mentor_name or enrollment.group_name or "",
                last_confirmed=enrollment.last_confirmed,
                quiet=enrollment.pk in quiet,
                overdue=[r for r in past_due if (enrollment.pk, r.pk) not in handed_in],
            )
        )
    return AtRiskPage(rows, total)
