"""Reviews waiting: reminders to mentors and coaches (mentorship.reminders).

The latest version of a deliverable that nobody has reviewed for more than the
program's ``review_waiting_days`` is brought to everyone who may review it
(the student's mentor through a published match, and the coaches of the
student's published group), once per version: a new version is a new subject.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from mentorship.models import Enrollment, GroupMembership
from mentorship.publishing import published_matches
from mentorship.reminders import Due
from programs.models import Cycle, Stage
from programs.reminder_policy import policies_for

from .models import Review, Submission

KIND = "review_waiting"
TITLE = gettext_noop("A version waits for your review")


def waiting_versions(now):
    """``[(version, due_on)]``: latest unreviewed versions past their
    program's wait and the day the wait ran out. Three queries."""
    open_cycles = Cycle.objects.exclude(stage=Stage.CLOSED)
    policies = policies_for(open_cycles.values_list("program_id", flat=True))
    if not policies:
        return []
    shortest = min(policy.review_waiting_days for policy in policies.values())
    newer = Submission.objects.filter(
        requirement=OuterRef("requirement"),
        enrollment=OuterRef("enrollment"),
        number__gt=OuterRef("number"),
    )
    versions = []
    for version in (
        Submission.objects.filter(
            requirement__cycle__in=open_cycles,
            enrollment__in=Enrollment.objects.active().values("pk"),
            submitted_at__lte=now - timedelta(days=shortest),
        )
        .exclude(Exists(newer))
        .exclude(Exists(Review.objects.filter(submission=OuterRef("pk"))))
        .select_related("requirement__cycle__program", "enrollment__student__user")
    ):
        wait = timedelta(days=policies[version.requirement.cycle.program_id].review_waiting_days)
        if version.submitted_at + wait <= now:
            versions.append((version, timezone.localdate(version.submitted_at + wait)))
    return versions


def reviewers(versions):
    """``{enrollment_id: {user_id, ...}}`` of who reviews ``versions``. Two queries."""
    enrollments = {version.enrollment for version in versions}
    found = {enrollment.pk: set() for enrollment in enrollments}
    for enrollment_id, user_id in (
        published_matches()
        .filter(enrollment__in=found)
        .values_list("enrollment_id", "engagement__mentor__user_id")
    ):
        found[enrollment_id].add(user_id)
    by_student = {(e.student_id, e.cycle_id): e.pk for e in enrollments}
    for student_id, cycle_id, user_id in GroupMembership.objects.filter(
        student__in={e.student_id for e in enrollments},
        group__cycle__in={e.cycle_id for e in enrollments},
        published_at__isnull=False,
        group__memberships__mentor__isnull=False,
    ).values_list("student_id", "group__cycle_id", "group__memberships__mentor__user_id"):
        enrollment_id = by_student.get((student_id, cycle_id))
        if enrollment_id is not None:
            found[enrollment_id].add(user_id)
    return found


def review_reminders(now):
    """What review reminders are due at ``now``. Five queries."""
    versions = waiting_versions(now)
    if not versions:
        return
    by_enrollment = reviewers(version for version, _ in versions)
    for version, due_on in versions:
        program = version.requirement.cycle.program
        for user_id in sorted(by_enrollment[version.enrollment_id]):
            yield Due(
                recipient_id=user_id,
                kind=KIND,
                subject_key=f"assessments.submission:{version.pk}",
                due_on=due_on,
                offset_days=0,
                payload={
                    "title": TITLE,
                    "context": f"{version.enrollment.student.user.full_name} · {program.name}",
                    "url": reverse("review_detail", args=[version.pk]),
                    "show_when": False,
                },
            )
