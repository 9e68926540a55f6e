"""What the matching is between, one strategy per MatchingLevel.

The solve, the figures and the preview are the same at every level; only
where the input comes from, what the "other side" is called and what a
commit creates differ. A mentor-level run places students with accepted
engagements and creates Matches; a group-level run places them in coaching
groups with student places and creates student GroupMemberships.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.table_stats import insert_rows

from .matching import Reason, Why
from .models import (
    LEADER_ROLES,
    Engagement,
    EngagementStatus,
    Enrollment,
    Group,
    GroupJudgement,
    GroupMembership,
    GroupPreference,
    GroupRole,
    Match,
    MatchingLevel,
    MatchSource,
    MentorPreference,
    StudentPreference,
)

# An unmatched reason of our own: the coordinator took the student out by hand.
MANUAL = "manual"


@dataclass(frozen=True)
class Named:
    """Someone or something of a run, for display: a student (an enrollment's
    id), or the side a student is placed with (an engagement or a group)."""

    pk: int
    name: str

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class Level:
    """How one level loads its input, names its sides and commits a result."""

    reason_labels: dict
    why_labels: dict
    texts: dict[str, Any]

    def capacities(self, cycle):
        """side id -> capacity."""
        raise NotImplementedError

    def student_ranks(self, cycle):
        """(enrollment, side) rows, each student's best first."""
        raise NotImplementedError

    def judgements(self, cycle):
        """(side, enrollment, rank, acceptable) rows, each side's best first."""
        raise NotImplementedError

    def placed(self, cycle):
        """(enrollment, side) pairs already live: they are pinned in a new run."""
        raise NotImplementedError

    def is_placed(self, cycle):
        """An Exists() on an enrollment (``OuterRef("pk")``): it has a live placement."""
        raise NotImplementedError

    def minimum(self, cycle):
        """The fewest students a side should get; fewer counts as under minimum."""
        return 0

    def sides(self, ids):
        """side id -> Named, in one query."""
        raise NotImplementedError

    def create(self, *, run, assignment, ranks, manual, by):
        """Create the live rows of ``assignment`` (new placements only)."""
        raise NotImplementedError


# What a commit writes of each Match (as plain rows); published_at stays
# empty until publishing.
MATCH_FIELDS = (
    "enrollment",
    "engagement",
    "source",
    "run",
    "rank",
    "reason",
    "created_by",
    "created_at",
)


class MentorLevel(Level):
    model = Match  # what a commit creates

    def capacities(self, cycle):
        return dict(
            Engagement.objects.filter(cycle=cycle, status=EngagementStatus.ACCEPTED)
            .order_by()
            .values_list("pk", "capacity")
        )

    def student_ranks(self, cycle):
        return (
            StudentPreference.objects.filter(enrollment__cycle=cycle)
            .order_by("enrollment", "rank")
            .values_list("enrollment", "engagement")
        )

    def judgements(self, cycle):
        return (
            MentorPreference.objects.filter(engagement__cycle=cycle)
            .order_by("engagement", "rank")
            .values_list("engagement", "enrollment", "rank", "acceptable")
        )

    def placed(self, cycle):
        return Match.objects.filter(enrollment__cycle=cycle).values_list("enrollment", "engagement")

    def is_placed(self, cycle):
        return Exists(Match.objects.filter(enrollment=OuterRef("pk")))

    def minimum(self, cycle):
        return cycle.program.mentor_capacity_min

    def sides(self, ids):
        # Values, not models: the preview names 800 mentors at full scale.
        rows = (
            Engagement.objects.filter(pk__in=ids)
            .order_by()
            .values_list("pk", "mentor__user__full_name", "mentor__user__email")
        )
        # Named as the mentor's User is (its full name, else its e-mail).
        return {pk: Named(pk, name or email) for pk, name, email in rows}

    def create(self, *, run, assignment, ranks, manual, by):
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        insert_rows(
            Match,
            MATCH_FIELDS,
            [
                (
                    student,
                    mentor,
                    MatchSource.MANUAL if str(student) in manual else MatchSource.ALGORITHM,
                    run.pk,
                    ranks.get(str(student)),
                    manual.get(str(student), {}).get("reason", ""),
                    by.pk,
                    now,
                )
                for student, mentor in assignment.items()
            ],
        )


def choosable_groups(cycle):
    """The cycle's groups students can choose: those with student places."""
    return Group.objects.filter(cycle=cycle, capacity__gt=0)


def leaders_prefetch():
    """Each group's chief and leading coaches, as ``group.leaders``, in one query."""
    return Prefetch(
        "memberships",
        queryset=GroupMembership.objects.filter(role__in=LEADER_ROLES).select_related(
            "mentor__user"
        ),
        to_attr="leaders",
    )


class GroupLevel(Level):
    model = GroupMembership

    def capacities(self, cycle):
        return dict(choosable_groups(cycle).values_list("pk", "capacity"))

    def student_ranks(self, cycle):
        return (
            GroupPreference.objects.filter(enrollment__cycle=cycle)
            .order_by("enrollment", "rank")
            .values_list("enrollment", "group")
        )

    def judgements(self, cycle):
        return (
            GroupJudgement.objects.filter(group__cycle=cycle)
            .order_by("group", "rank")
            .values_list("group", "enrollment", "rank", "acceptable")
        )

    def placed(self, cycle):
        # A student in two groups with places (set by hand) is pinned to the first.
        pairs = {}
        for enrollment, group in (
            Enrollment.objects.filter(
                cycle=cycle,
                student__group_memberships__group__cycle=cycle,
                student__group_memberships__group__capacity__gt=0,
            )
            .order_by("pk", "student__group_memberships__group")
            .values_list("pk", "student__group_memberships__group")
        ):
            pairs.setdefault(enrollment, group)
        return pairs.items()

    def is_placed(self, cycle):
        return Exists(
            GroupMembership.objects.filter(
                student=OuterRef("student"), group__cycle=cycle, group__capacity__gt=0
            )
        )

    def sides(self, ids):
        return {group.pk: Named(group.pk, group.name) for group in Group.objects.filter(pk__in=ids)}

    def create(self, *, run, assignment, ranks, manual, by):
        students = dict(
            Enrollment.objects.filter(pk__in=assignment).values_list("pk", "student_id")
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        # Unpublished: students and coaches see the placement once the office publishes it.
        insert_rows(
            GroupMembership,
            ("group", "student", "role", "run", "joined_at", "published_at"),
            [
                (group, students[enrollment], GroupRole.STUDENT, run.pk, now, None)
                for enrollment, group in assignment.items()
            ],
        )


LEVELS = {
    MatchingLevel.MENTOR: MentorLevel(
        reason_labels={
            MANUAL: _("left unmatched by hand"),
            Reason.RANKED_NOBODY: _("ranked no mentor"),
            Reason.ALL_FULL: _("every mentor they ranked was full of students they preferred"),
            Reason.NOT_ACCEPTABLE: _("every mentor they ranked found them not acceptable"),
            Reason.MIXED: _("no mentor they ranked took them; see each mentor"),
        },
        why_labels={
            Why.FULL: _("full of students this mentor preferred"),
            Why.NOT_ACCEPTABLE: _("found them not acceptable"),
            Why.FORBIDDEN: _("pair forbidden by the program office"),
            Why.UNAVAILABLE: _("not taking students in this run"),
            Why.FILLED: _("no place left: full with students placed in an earlier round"),
        },
        texts={
            "side": _("Mentor"),
            "sides": _("Mentors"),
            "new_side": _("New mentor"),
            "title": _("Matching of %(cycle)s"),
            "committed": _("The matching is committed: students have their mentors."),
            "unfit": _("Earlier matches no longer fit the mentors' contracts: %(detail)s"),
            "stale": _(
                "Rankings, mentors or students changed since this preview; run the matching again."
            ),
            "over_capacity": _("The mentor now has more students than their capacity."),
            "under_minimum": _(
                "The student's previous mentor now has fewer than %(minimum)s students."
            ),
        },
    ),
    MatchingLevel.GROUP: GroupLevel(
        reason_labels={
            MANUAL: _("left unmatched by hand"),
            Reason.RANKED_NOBODY: _("ranked no group"),
            Reason.ALL_FULL: _("every group they ranked was full of students it preferred"),
            Reason.NOT_ACCEPTABLE: _("every group they ranked found them not acceptable"),
            Reason.MIXED: _("no group they ranked took them; see each group"),
        },
        why_labels={
            Why.FULL: _("full of students this group preferred"),
            Why.NOT_ACCEPTABLE: _("found them not acceptable"),
            Why.FORBIDDEN: _("pair forbidden by the program office"),
            Why.UNAVAILABLE: _("not taking students in this run"),
            Why.FILLED: _("no place left: full with students placed in an earlier round"),
        },
        texts={
            "side": _("Group"),
            "sides": _("Groups"),
            "new_side": _("New group"),
            "title": _("Group matching of %(cycle)s"),
            "committed": _("The group matching is committed: students are in their groups."),
            "unfit": _("Earlier group placements no longer fit the groups' places: %(detail)s"),
            "stale": _(
                "Rankings, groups or students changed since this preview; run the matching again."
            ),
            "over_capacity": _("The group now has more students than its places."),
            "under_minimum": "",
        },
    ),
}
