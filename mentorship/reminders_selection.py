"""Preference deadline approaching: reminders of the selection stage.

Some days (the program's ``selection_days_before``) before a selection-stage
cycle's preference deadline, everyone who still has to choose is reminded
once. In a cycle whose coaching groups have student places, students choose
groups and each group's chief and leading coaches judge them; elsewhere
students rank mentors and mentors judge their applicants:

- students who applied and ranked nobody (no mentor, or no group);
- accepted mentors who judged none of the cycle's applicants, while someone
  has applied (mentor-level cycles);
- leaders of a group that someone ranked, while nobody judged its applicants
  (group-level cycles); each leader is reminded, whoever of them judges.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from programs.models import Cycle, Stage
from programs.reminder_policy import policies_for

from .models import (
    LEADER_ROLES,
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupJudgement,
    GroupMembership,
    GroupPreference,
    MentorPreference,
    StudentPreference,
)
from .reminders import Due

KIND = "selection_deadline"
STUDENT_TITLE = gettext_noop("Rank the mentors you would like")
STUDENT_GROUP_TITLE = gettext_noop("Rank the coaching groups you would like")
MENTOR_TITLE = gettext_noop("Say which applicants you would mentor")
LEADER_TITLE = gettext_noop("Say which applicants your group would take")


def closing_cycles(now):
    """``{cycle_id: (cycle, due_on, days)}`` of selection cycles whose deadline
    is near enough for their program's policy. Three queries."""
    cycles = list(
        Cycle.objects.filter(stage=Stage.SELECTION, preference_deadline__gt=now).select_related(
            "program"
        )
    )
    policies = policies_for(cycle.program_id for cycle in cycles)
    found = {}
    for cycle in cycles:
        days = policies[cycle.program_id].selection_days_before
        start = cycle.preference_deadline - timedelta(days=days)
        if start <= now:
            found[cycle.pk] = (cycle, timezone.localdate(start), days)
    return found


def selection_reminders(now):
    """What selection reminders are due at ``now``. Six queries."""
    cycles = closing_cycles(now)
    if not cycles:
        return
    by_groups = Exists(Group.objects.filter(cycle=OuterRef("cycle"), capacity__gt=0))
    applied = Enrollment.objects.filter(cycle__in=cycles, status=EnrollmentStatus.APPLIED)
    students = (
        applied.annotate(by_groups=by_groups)
        .exclude(Exists(StudentPreference.objects.filter(enrollment=OuterRef("pk"))))
        .exclude(Exists(GroupPreference.objects.filter(enrollment=OuterRef("pk"))))
        .values_list("pk", "cycle_id", "student__user_id", "by_groups")
    )
    for enrollment_id, cycle_id, user_id, groups in students.order_by("pk"):
        yield _due(
            user_id,
            f"mentorship.enrollment:{enrollment_id}",
            cycles[cycle_id],
            STUDENT_GROUP_TITLE if groups else STUDENT_TITLE,
            reverse("selection_groups" if groups else "selection_ranking", args=[enrollment_id]),
        )
    mentors = (
        Engagement.objects.filter(cycle__in=cycles, status=EngagementStatus.ACCEPTED)
        .exclude(by_groups)
        .filter(Exists(applied.filter(cycle=OuterRef("cycle"))))
        .exclude(Exists(MentorPreference.objects.filter(engagement=OuterRef("pk"))))
        .values_list("pk", "cycle_id", "mentor__user_id")
    )
    for engagement_id, cycle_id, user_id in mentors.order_by("pk"):
        yield _due(
            user_id,
            f"mentorship.engagement:{engagement_id}",
            cycles[cycle_id],
            MENTOR_TITLE,
            reverse("selection_applicants", args=[engagement_id]),
        )
    ranked = GroupPreference.objects.filter(group=OuterRef("group")).exclude(
        enrollment__status=EnrollmentStatus.WITHDRAWN
    )
    leaders = (
        GroupMembership.objects.filter(
            group__cycle__in=cycles, group__capacity__gt=0, role__in=LEADER_ROLES
        )
        .filter(Exists(ranked))
        .exclude(Exists(GroupJudgement.objects.filter(group=OuterRef("group"))))
        .values_list("group_id", "group__cycle_id", "mentor__user_id")
    )
    for group_id, cycle_id, user_id in leaders.order_by("group_id", "pk"):
        yield _due(
            user_id,
            f"mentorship.group:{group_id}",
            cycles[cycle_id],
            LEADER_TITLE,
            reverse("selection_group_applicants", args=[group_id]),
        )


def _due(user_id, subject, closing, title, url):
    cycle, due_on, days = closing
    return Due(
        recipient_id=user_id,
        kind=KIND,
        subject_key=f"{subject}/deadline",
        due_on=due_on,
        offset_days=days,
        payload={"title": title, "context": str(cycle), "url": url},
    )
