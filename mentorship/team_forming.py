"""Teams of mentors in an alumni program's cycle: suggest, show, save.

A team is a Group of kind "mentor team". Its mentors are coaches (role
"coach": a team of peers; a coordinator may still name one chief coach in the
group admin, and re-saving keeps that role); its students are the students
matched with its mentors, who follow their mentor when the mentor moves.

Only the people this page manages are touched on saving: the cycle's matched
mentors and their matched students. Anyone added to a team by hand in the
group admin stays.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import (
    CharField,
    Count,
    OuterRef,
    Prefetch,
    ProtectedError,
    Q,
    RestrictedError,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from programs.models import Cycle, GroupKind

from .group_rules import group_rule_problems, rule_for
from .models import Engagement, Group, GroupMembership, GroupRole, Match
from .teams import TeamMentor, team_split

TEAM_KIND = GroupKind.MENTOR_TEAM

logger = logging.getLogger(__name__)


class TeamError(Exception):
    """The teams cannot be saved as given; the messages say why."""

    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass
class TeamSlot:
    """One team on the page: a saved group (``group``) or a suggestion."""

    number: int
    name: str
    group: Group | None = None
    engagements: list = field(default_factory=list)


def matched_engagements(cycle):
    """The cycle's accepted engagements that have published matches, each with
    ``student_count``, how many (their students come with ``attach_students``).

    Unpublished matches stay out: a student must not meet their team before
    their mentor.
    """
    # A count per engagement (an index scan each), not a GROUP BY over every
    # column of the engagement, mentor and user joined.
    published = (
        Match.objects.filter(engagement=OuterRef("pk"), published_at__isnull=False)
        .order_by()
        .values("engagement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Engagement.objects.accepted()
        .filter(cycle=cycle)
        .annotate(student_count=Subquery(published))
        .filter(student_count__gt=0)
        .select_related("mentor__user")
        .only(
            "mentor__discipline",
            "mentor__industry",
            "mentor__user__full_name",
            "mentor__user__email",
        )
        .order_by("mentor__user__full_name", "pk")
    )


def attach_students(engagements):
    """Set ``team_students`` on each of ``engagements``: (student profile id,
    label) of its published matches, by name (one query; plain values, as the
    page lists hundreds). The page needs them only for the mentors it shows;
    saving needs them all."""
    rows = (
        Match.objects.filter(engagement__in=engagements, published_at__isnull=False)
        .order_by("enrollment__student__user__full_name", "pk")
        .values_list(
            "engagement_id",
            "enrollment__student_id",
            "enrollment__student__user__full_name",
            "enrollment__student__user__email",
            "enrollment__student__student_number",
        )
    )
    by_engagement = {}
    for engagement_id, student_id, name, email, number in rows:
        # As StudentProfile and User print themselves.
        label = f"{name or email} ({number})"
        by_engagement.setdefault(engagement_id, []).append((student_id, label))
    for engagement in engagements:
        engagement.team_students = by_engagement.get(engagement.pk, [])


def team_groups(cycle, *, everyone=True):
    """The cycle's saved mentor teams, oldest first, with their memberships:
    every one (saving needs them), or only the mentors' (enough to show them)."""
    members = (
        GroupMembership.objects.all()
        if everyone
        else GroupMembership.objects.filter(mentor__isnull=False)
    )
    return list(
        Group.objects.filter(cycle=cycle, kind=TEAM_KIND)
        .prefetch_related(Prefetch("memberships", members))
        .order_by("pk")
    )


def _default_name(number, engagements):
    disciplines = Counter(e.mentor.discipline for e in engagements if e.mentor.discipline)
    if not disciplines:
        return _("Team %(number)s") % {"number": number}
    top = min(disciplines.items(), key=lambda item: (-item[1], item[0]))[0]
    return _("Team %(number)s: %(discipline)s") % {"number": number, "discipline": top}


def suggest(engagements, rule):
    """The suggested split of ``engagements`` into team slots."""
    by_id = {e.pk: e for e in engagements}
    max_size = rule.max_mentors if rule and rule.max_mentors and rule.max_mentors >= 3 else None
    split = team_split(
        [
            TeamMentor(e.pk, e.mentor.discipline, e.mentor.industry, e.student_count)
            for e in engagements
        ],
        size=3,
        max_size=max_size,
    )
    slots = []
    for number, ids in enumerate(split, start=1):
        members = [by_id[pk] for pk in ids]
        slots.append(TeamSlot(number, _default_name(number, members), engagements=members))
    return slots


def current_slots(engagements, groups, rule, *, fresh=False):
    """The slots the page shows: saved teams once there are any (and ``fresh``
    is false), else the suggestion laid onto the saved groups in order.
    Matched mentors in no saved team come back as ``unplaced``."""
    if fresh or not groups:
        slots = suggest(engagements, rule)
        for slot, group in zip(slots, groups, strict=False):
            slot.group = group
        return slots, []
    team_of = {
        m.mentor_id: index
        for index, group in enumerate(groups)
        for m in group.memberships.all()
        if m.mentor_id
    }
    slots = [
        TeamSlot(number, group.name, group=group) for number, group in enumerate(groups, start=1)
    ]
    unplaced = []
    for engagement in engagements:
        index = team_of.get(engagement.mentor_id)
        if index is None:
            unplaced.append(engagement)
        else:
            slots[index].engagements.append(engagement)
    return slots, unplaced


def _roles_added_by_hand(group, engagements):
    """Roles of the members of ``group`` this page does not manage (they stay)."""
    mentors = {e.mentor_id for e in engagements}
    students = {pk for e in engagements for pk, _label in e.team_students}
    return [
        m.role
        for m in group.memberships.all()
        if m.mentor_id not in mentors and m.student_id not in students
    ]


def save_teams(*, cycle, groups, engagements, assignment, names, by):
    """Save the teams: ``assignment`` maps each engagement id of ``engagements``
    (the cycle's matched mentors) to a team number, ``names`` maps team numbers
    to names; team number n is ``groups[n - 1]`` when it exists, else a new group.

    Must hold first: ``cycle`` is one the person ``by`` coordinates; every
    engagement id is assigned; names are not empty; ``engagements`` have their
    students (``attach_students``) and ``groups`` all their memberships. Raises TeamError (nothing
    saved) when a team breaks a blocking group rule or a name is taken. Returns
    the warnings (rule minimums not reached). Teams left empty are deleted when
    nothing else refers to them.
    """
    rule = rule_for(program_id=cycle.program_id, kind=TEAM_KIND)
    if rule is None:
        raise TeamError([_("The program does not allow mentor teams.")])
    by_id = {e.pk: e for e in engagements}
    members = {}
    for pk, number in assignment.items():
        members.setdefault(number, []).append(by_id[pk])
    errors, warnings = [], []
    for number in sorted(members):
        roles = [GroupRole.COACH] * len(members[number]) + [GroupRole.STUDENT] * sum(
            len(e.team_students) for e in members[number]
        )
        if number <= len(groups):
            roles += _roles_added_by_hand(groups[number - 1], engagements)
        for problem in group_rule_problems(rule=rule, kind=TEAM_KIND, roles=roles):
            text = f"{names[number]}: {problem.message}"
            (errors if problem.blocking else warnings).append(text)
    used = [names[number] for number in members]
    if len(set(used)) != len(used):
        errors.append(_("Two teams cannot have the same name."))
    # The teams' own names are parked while saving; an emptied team that stays
    # gives way to a new name (see _store).
    others = Group.objects.filter(cycle=cycle, name__in=used).exclude(
        pk__in=[group.pk for group in groups]
    )
    taken = sorted(others.values_list("name", flat=True))
    if taken:
        errors.append(
            _("The cycle already has a group named %(names)s.") % {"names": ", ".join(taken)}
        )
    if errors:
        raise TeamError(errors)

    with transaction.atomic():
        # One save at a time per cycle; a page built on other teams is refused.
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        current = Group.objects.filter(cycle=cycle, kind=TEAM_KIND).order_by("pk")
        if list(current.values_list("pk", flat=True)) != [group.pk for group in groups]:
            raise TeamError([_("The teams were changed meanwhile; look at them again.")])
        _store(cycle, groups, members, names)
    logger.info("Teams of cycle %s saved by %s", cycle.pk, by.pk)
    return warnings


def _store(cycle, groups, members, names):
    mentor_ids = {e.mentor_id for team in members.values() for e in team}
    student_ids = {pk for team in members.values() for e in team for pk, _label in e.team_students}
    managed = GroupMembership.objects.filter(group__in=groups).filter(
        Q(mentor__in=mentor_ids) | Q(student__in=student_ids)
    )
    # (group, mentor, student) -> membership id: a row that stays is left alone
    # (a chief coach keeps the role), so saving after one move writes one move.
    existing = {
        (group_id, mentor_id, student_id): pk
        for pk, group_id, mentor_id, student_id in managed.values_list(
            "pk", "group_id", "mentor_id", "student_id"
        )
    }
    # Names may swap between teams: park them first so the unique name holds.
    # A statement for all, not one per team: a cycle has hundreds.
    parked = Concat(Value("\u2060"), Cast("pk", CharField()))
    Group.objects.filter(pk__in=[group.pk for group in groups]).update(name=parked)
    teams, renamed, new = {}, [], []
    for number in sorted(members):
        if number <= len(groups):
            group = groups[number - 1]
            group.name = names[number]
            renamed.append(group)
        else:
            group = Group(cycle=cycle, kind=TEAM_KIND, name=names[number])
            new.append(group)
        teams[number] = group
    Group.objects.bulk_update(renamed, ["name"], batch_size=500)
    Group.objects.bulk_create(new)
    wanted = {
        key
        for number, team in members.items()
        for e in team
        for key in [
            (teams[number].pk, e.mentor_id, None),
            *((teams[number].pk, None, pk) for pk, _label in e.team_students),
        ]
    }
    gone = [pk for key, pk in existing.items() if key not in wanted]
    for start in range(0, len(gone), 5000):
        GroupMembership.objects.filter(pk__in=gone[start : start + 5000]).delete()
    GroupMembership.objects.bulk_create(
        GroupMembership(
            group_id=group_id,
            mentor_id=mentor_id,
            student_id=student_id,
            role=GroupRole.COACH if mentor_id else GroupRole.STUDENT,
        )
        for group_id, mentor_id, student_id in wanted - existing.keys()
    )
    used = {group.name for group in teams.values()}
    for number, group in enumerate(groups, start=1):
        if number in members:
            continue
        if not GroupMembership.objects.filter(group=group).exists():
            try:
                with transaction.atomic():
                    Group.objects.filter(pk=group.pk).delete()
                continue
            except (ProtectedError, RestrictedError):
                pass
        # Someone added by hand, or a record refers to it: keep it, under its old name.
        if group.name in used:
            group.name = f"{group.name} ({group.pk})"
        group.save(update_fields=["name"])
