"""Who is at risk on the progress dashboard (assessments.dashboard), by the
one rule of assessments.risk: quiet (sessions_app.overview.is_at_risk, as
sessions_app.overview.with_quiet decides it in the database) or a
required deliverable overdue. Each row names the mentor (or the group) and
the last confirmed meeting, whatever flagged it."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Concat

from mentorship.models import GroupMembership, GroupRole
from sessions_app.overview import last_confirmed_meeting, published_mentor_name, with_quiet

from .models import Requirement, Submission
from .risk import overdue_among


@dataclass
class AtRisk:
    enrollment: object
    mentor: str = ""  # the mentor's name (mentor programs) or the group's
    last_confirmed: datetime.datetime | None = None
    quiet: bool = False  # no confirmed meeting for too long
    overdue: list = field(default_factory=list)  # requirements past due, nothing handed in


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
    Two queries: who is quiet is decided in the database too, so that no
    query reads the whole cohort."""
    past_due = [r for r in requirements if r.due_at < now]
    flagged = Q(quiet=True) | overdue_among(past_due)
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
        with_quiet(scope.enrollments, cycle=scope.cycle, now=now)
        .filter(flagged)
        .select_related("student__user")
        .annotate(
            total=Window(Count("pk")),
            group_name=Subquery(group_name),
            mentor_name=published_mentor_name(),
            last_confirmed=last_confirmed_meeting(enrollment=""),
        )
        # By name, through an expression no index answers: walking the
        # people index by name looks cheap for a page of LIMIT rows, but the
        # total's window needs every flagged row first, so the walk read
        # every student of every cycle (150 ms at 11,000 students).
        .order_by(Concat("student__user__full_name", Value("")), "pk")[start:stop]
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
                quiet=enrollment.quiet,
                overdue=[r for r in past_due if (enrollment.pk, r.pk) not in handed_in],
            )
        )
    return AtRiskPage(rows, total)
