"""Preference deadline approaching: reminders of the selection stage.

Some days (the program's ``selection_days_before``) before a selection-stage
cycle's preference deadline, students who applied and ranked nobody, and
accepted mentors who judged none of the cycle's applicants, are reminded once.
A mentor is not reminded while nobody has applied.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from programs.models import Cycle, Stage
from programs.reminder_policy import policies_for

from .models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    MentorPreference,
    StudentPreference,
)
from .reminders import Due

KIND = "selection_deadline"
STUDENT_TITLE = gettext_noop("Rank the mentors you would like")
MENTOR_TITLE = gettext_noop("Say which applicants you would mentor")


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
    """What selection reminders are due at ``now``. Five queries."""
    cycles = closing_cycles(now)
    if not cycles:
        return
    applied = Enrollment.objects.filter(cycle__in=cycles, status=EnrollmentStatus.APPLIED)
    students = applied.exclude(
        Exists(StudentPreference.objects.filter(enrollment=OuterRef("pk")))
    ).values_list("pk", "cycle_id", "student__user_id")
    for enrollment_id, cycle_id, user_id in students.order_by("pk"):
        cycle, due_on, days = cycles[cycle_id]
        yield _due(
            user_id,
            f"mentorship.enrollment:{enrollment_id}",
            cycle,
            due_on,
            days,
            STUDENT_TITLE,
            reverse("selection_ranking", args=[enrollment_id]),
        )
    mentors = (
        Engagement.objects.filter(cycle__in=cycles, status=EngagementStatus.ACCEPTED)
        .filter(Exists(applied.filter(cycle=OuterRef("cycle"))))
        .exclude(Exists(MentorPreference.objects.filter(engagement=OuterRef("pk"))))
        .values_list("pk", "cycle_id", "mentor__user_id")
    )
    for engagement_id, cycle_id, user_id in mentors.order_by("pk"):
        cycle, due_on, days = cycles[cycle_id]
        yield _due(
            user_id,
            f"mentorship.engagement:{engagement_id}",
            cycle,
            due_on,
            days,
            MENTOR_TITLE,
            reverse("selection_applicants", args=[engagement_id]),
        )


def _due(user_id, subject, cycle, due_on, days, title, url):
    return Due(
        recipient_id=user_id,
        kind=KIND,
        subject_key=f"{subject}/deadline",
        due_on=due_on,
        offset_days=days,
        payload={"title": title, "context": str(cycle), "url": url},
    )
