"""Deliverable reminders for the ledger (mentorship.reminders).

A student is reminded of each requirement of a running cycle (kick-off or
tracking, or evaluation for one kept open until due) they have not submitted
a version of: some days before it is due, then every few days once overdue, a
limited number of times. Only the latest
step that has come due is produced, so a sweep after a pause sends one
reminder, not every step it missed.
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Enrollment
from mentorship.reminders import Due
from programs.models import Cycle, Stage
from programs.reminder_policy import ReminderPolicy, policies_for

from .models import Requirement, Submission

KIND = "deliverable_due"
RUNNING = (Stage.KICK_OFF, Stage.TRACKING)


def offsets(policy):
    """Every step of ``policy``, earliest first, as days before the deadline."""
    return list(policy.days_before) + [
        -policy.overdue_every_days * n for n in range(1, policy.overdue_times + 1)
    ]


def latest_offset(deadline, today, policy=None):
    """The step that came due last on ``today`` for a ``deadline`` date, or None."""
    policy = policy or ReminderPolicy()
    due = [offset for offset in offsets(policy) if deadline - timedelta(days=offset) <= today]
    if not due:
        return None
    offset = due[-1]
    # Past the last overdue step by a full period: nothing more to say.
    last_step = deadline - timedelta(days=offset)
    if offset < 0 and today - last_step >= timedelta(policy.overdue_every_days):
        return None
    return offset


def _window(policies):
    """Days before and after a deadline that any of ``policies`` looks at."""
    before = max((max(p.days_before) for p in policies), default=0)
    after = max((p.overdue_every_days * (p.overdue_times + 1) for p in policies), default=0)
    return before, after


def deliverable_reminders(now):
    """What deliverable reminders are due at ``now``. Four queries."""
    today = timezone.localdate(now)
    stages = (*RUNNING, Stage.EVALUATION)  # evaluation: for those kept open until due
    running = Cycle.objects.filter(stage__in=stages).values_list("program_id", flat=True)
    policies = policies_for(running)
    if not policies:
        return
    earliest, latest = _window(policies.values())
    requirements = {}
    for requirement in Requirement.objects.filter(
        Q(cycle__stage__in=RUNNING) | Q(cycle__stage=Stage.EVALUATION, open_until_due=True),
        due_at__lt=now + timedelta(days=earliest + 1),
        due_at__gt=now - timedelta(days=latest + 1),
    ).select_related("kind", "cycle__program"):
        deadline = timezone.localdate(requirement.due_at)
        policy = policies[requirement.cycle.program_id]
        offset = latest_offset(deadline, today, policy)
        # Kept open only until due: past it, the student can no longer hand it in.
        closes_when_due = requirement.cycle.stage == Stage.EVALUATION
        if offset is not None and not (closes_when_due and offset < 0):
            requirements[requirement.pk] = (requirement, deadline, offset)
    if not requirements:
        return
    cycles = {requirement.cycle_id for requirement, _, _ in requirements.values()}
    submitted = set(
        Submission.objects.filter(requirement__in=requirements)
        .values_list("requirement_id", "enrollment_id")
        .distinct()
    )
    enrollments = (
        Enrollment.objects.active()
        .filter(cycle__in=cycles)
        .values_list("pk", "cycle_id", "student__user_id")
        .order_by("pk")
    )
    by_cycle = {}
    for requirement, deadline, offset in requirements.values():
        by_cycle.setdefault(requirement.cycle_id, []).append((requirement, deadline, offset))
    for enrollment_id, cycle_id, user_id in enrollments:
        for requirement, deadline, offset in by_cycle[cycle_id]:
            if (requirement.pk, enrollment_id) in submitted:
                continue
            yield Due(
                recipient_id=user_id,
                kind=KIND,
                subject_key=f"assessments.requirement:{requirement.pk}/enrollment:{enrollment_id}",
                due_on=deadline - timedelta(days=offset),
                offset_days=offset,
                payload={
                    # The kind's stored name: the digest translates a default one
                    # into the reader's language.
                    "title": requirement.kind.name,
                    "context": requirement.cycle.program.name,
                    "url": reverse("deliverable_detail", args=[requirement.pk]),
                },
            )
