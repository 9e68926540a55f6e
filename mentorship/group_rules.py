"""A program's group rules (programs.GroupRule) checked against a group's members.

Used by the admin's group form and by any service forming groups. What is
counted: every chief, leading coach and coach is a coach (leaders count
towards the minimum and maximum of coaches); students are students.

Blocking or not: a group is usually formed over several saves, so a minimum
not yet reached (too few coaches, no leader yet) is a warning shown after
saving. What no later save can make right without undoing it (too many
coaches, leaders or students; the wrong kind of leader; a kind the program
does not allow) blocks the save.
"""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from programs.models import GroupKind, GroupRule

from .models import Engagement, EngagementStatus, Enrollment, GroupMembership, GroupRole

GROUP_SUBJECT = {
    GroupKind.MENTOR_TEAM: gettext_lazy("A mentor team"),
    GroupKind.ENTERPRISE: gettext_lazy("An enterprise group"),
    GroupKind.INDUSTRY: gettext_lazy("An industry group"),
    GroupKind.PERSONALIZED: gettext_lazy("A personalized group"),
}

# Who leads each kind; a mentor team may have a chief but needs none.
LEADER_ROLE = {
    GroupKind.MENTOR_TEAM: GroupRole.CHIEF,
    GroupKind.ENTERPRISE: GroupRole.CHIEF,
    GroupKind.INDUSTRY: GroupRole.CHIEF,
    GroupKind.PERSONALIZED: GroupRole.LEADING,
}
LEADER_REQUIRED = {GroupKind.ENTERPRISE, GroupKind.INDUSTRY, GroupKind.PERSONALIZED}

# Plural forms follow the named number ("maximum", "minimum") when formatted.
TOO_MANY_LEADERS = {
    GroupRole.CHIEF: ngettext_lazy(
        "%(group)s has at most %(maximum)s chief coach; it has %(count)s.",
        "%(group)s has at most %(maximum)s chief coaches; it has %(count)s.",
        "maximum",
    ),
    GroupRole.LEADING: ngettext_lazy(
        "%(group)s has at most %(maximum)s leading coach; it has %(count)s.",
        "%(group)s has at most %(maximum)s leading coaches; it has %(count)s.",
        "maximum",
    ),
}
TOO_MANY_COACHES = ngettext_lazy(
    "%(group)s has at most %(maximum)s coach; it has %(count)s.",
    "%(group)s has at most %(maximum)s coaches; it has %(count)s.",
    "maximum",
)
TOO_MANY_STUDENTS = ngettext_lazy(
    "%(group)s takes at most %(maximum)s student; it has %(count)s.",
    "%(group)s takes at most %(maximum)s students; it has %(count)s.",
    "maximum",
)
TOO_MANY_PLACES = ngettext_lazy(
    "%(group)s takes at most %(maximum)s student; it offers %(count)s places.",
    "%(group)s takes at most %(maximum)s students; it offers %(count)s places.",
    "maximum",
)
TOO_FEW_COACHES = ngettext_lazy(
    "%(group)s needs at least %(minimum)s coach; it has %(count)s.",
    "%(group)s needs at least %(minimum)s coaches; it has %(count)s.",
    "minimum",
)


@dataclass(frozen=True)
class RuleProblem:
    message: str
    blocking: bool

    def __str__(self):
        return self.message


def rule_for(*, program_id, kind):
    """The program's rule for ``kind``, or None when the kind is not allowed."""
    return GroupRule.objects.filter(program_id=program_id, kind=kind).first()


def group_rule_problems(*, rule, kind, roles):
    """What breaks ``rule`` (a GroupRule, or None: kind not allowed) for a
    group of ``kind`` whose members hold ``roles`` (role values, one per member).

    Returns RuleProblem items, blocking ones first; an empty list when the
    group keeps every rule.
    """
    if rule is None:
        return [RuleProblem(_("The program does not allow groups of this kind."), True)]
    count = Counter(roles)
    coaches = count[GroupRole.CHIEF] + count[GroupRole.LEADING] + count[GroupRole.COACH]
    students = count[GroupRole.STUDENT]
    subject = GROUP_SUBJECT.get(kind, kind)
    leader = LEADER_ROLE.get(kind, GroupRole.CHIEF)
    wrong = GroupRole.LEADING if leader == GroupRole.CHIEF else GroupRole.CHIEF
    leaders = count[leader]
    problems = []
    if count[wrong]:
        if leader == GroupRole.CHIEF:
            text = _("%(group)s is led by a chief coach, not by leading coaches.")
        else:
            text = _("%(group)s is led by leading coaches, not by a chief coach.")
        problems.append(RuleProblem(text % {"group": subject}, True))
    for count_, maximum, text in (
        (leaders, rule.max_leaders, TOO_MANY_LEADERS[leader]),
        (coaches, rule.max_mentors, TOO_MANY_COACHES),
        (students, rule.max_students, TOO_MANY_STUDENTS),
    ):
        if maximum is not None and count_ > maximum:
            values = {"group": subject, "maximum": maximum, "count": count_}
            problems.append(RuleProblem(text % values, True))
    if coaches < rule.min_mentors:
        values = {"group": subject, "minimum": rule.min_mentors, "count": coaches}
        problems.append(RuleProblem(TOO_FEW_COACHES % values, False))
    if kind in LEADER_REQUIRED and not leaders:
        if leader == GroupRole.CHIEF:
            text = _("%(group)s needs a chief coach; it has none.")
        else:
            text = _("%(group)s needs a leading coach; it has none.")
        problems.append(RuleProblem(text % {"group": subject}, False))
    return problems


def places_problem(*, rule, kind, capacity):
    """Why ``capacity`` student places are more than ``rule`` lets a group of
    ``kind`` take, or None. Blocking: the matching would fill them."""
    if rule is None or rule.max_students is None or capacity is None:
        return None
    if capacity <= rule.max_students:
        return None
    values = {
        "group": GROUP_SUBJECT.get(kind, kind),
        "maximum": rule.max_students,
        "count": capacity,
    }
    return TOO_MANY_PLACES % values


def check_group(*, group):
    """The rule problems of a saved ``group`` as its members stand in the database."""
    roles = GroupMembership.objects.filter(group=group).values_list("role", flat=True)
    rule = rule_for(program_id=group.cycle.program_id, kind=group.kind)
    return group_rule_problems(rule=rule, kind=group.kind, roles=list(roles))


def strangers_to_cycle(*, cycle_id, mentors=(), students=()):
    """Messages for the ``mentors`` (MentorProfile) not engaged in the cycle
    (declined contracts do not count) and ``students`` (StudentProfile) not
    enrolled in it: a group's members take part in its cycle. Always blocking."""
    engaged = set(
        Engagement.objects.filter(cycle_id=cycle_id, mentor__in=mentors)
        .exclude(status=EngagementStatus.DECLINED)
        .values_list("mentor_id", flat=True)
    )
    enrolled = set(
        Enrollment.objects.filter(cycle_id=cycle_id, student__in=students).values_list(
            "student_id", flat=True
        )
    )
    outside = [m for m in mentors if m.pk not in engaged]
    outside += [s for s in students if s.pk not in enrolled]
    return [
        _("%(person)s takes no part in the group's cycle.") % {"person": person}
        for person in outside
    ]
