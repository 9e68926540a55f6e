"""Who may see and review deliverables.

A student sees their own; their mentor (published match) and the coaches of
their group in the cycle (published placement) see and review them; the
program's coordinators and steering members see them. Anyone else gets 404,
so a version's existence is not revealed; a person with no role at all, or a
viewer asking to review without being a reviewer, gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.shortcuts import get_object_or_404

from mentorship.models import Enrollment, EnrollmentStatus
from mentorship.publishing import published_matches
from mentorship.roles import STUDENT, user_roles
from programs.models import Program

from .models import Requirement, Submission


def _reviewable_ids(user):
    # Ids of each way in, read through indexes and UNIONed: as OR'd correlated
    # EXISTS PostgreSQL costed a subplan per enrollment of every cycle, and the
    # estimate set off its JIT compiler (seconds to compile, issue 14).
    matched = published_matches().filter(engagement__mentor__user=user).values("enrollment")
    coached = Enrollment.objects.filter(
        student__group_memberships__published_at__isnull=False,
        student__group_memberships__group__cycle=F("cycle"),
        student__group_memberships__group__memberships__mentor__user=user,
    ).values("pk")
    return matched.union(coached)


def reviewable_enrollments(user):
    """Enrollments whose deliverables ``user`` reviews as mentor or group coach."""
    return Enrollment.objects.filter(pk__in=_reviewable_ids(user))


def visible_submissions(user):
    """Versions ``user`` may read."""
    if not user.is_authenticated:
        return Submission.objects.none()
    if user.is_superuser:
        return Submission.objects.all()
    own = Enrollment.objects.filter(student__user=user).values("pk")
    # Two uncorrelated IN lists, each built once and hashed; a coordinator's
    # lookup never lists the whole program's versions.
    return Submission.objects.filter(
        Q(enrollment__in=own.union(_reviewable_ids(user)))
        | Q(requirement__cycle__program__in=Program.objects.staffed_by(user).values("pk"))
    )


def get_requirement_for_user(user, pk, *, write=False):
    """Requirement ``pk`` of one of the signed-in student's cycles, with the
    student's enrollment in that cycle as ``requirement.enrollment``.

    403 without the student role; 404 for a requirement of a cycle the student
    is not in, and with ``write`` when their enrollment was withdrawn.
    """
    if STUDENT not in user_roles(user):
        raise PermissionDenied
    requirement = get_object_or_404(
        Requirement.objects.select_related("kind", "cycle__program"), pk=pk
    )
    enrollments = Enrollment.objects.for_user(user).filter(cycle=requirement.cycle_id)
    if write:
        enrollments = enrollments.exclude(status=EnrollmentStatus.WITHDRAWN)
    requirement.enrollment = get_object_or_404(enrollments.select_related("student__user"))
    return requirement


def get_submission_for_user(user, pk, *, write=False):
    """Version ``pk`` with its requirement, kind, cycle and student, if ``user`` may read it.

    404 for outsiders; 403 for a person without any role. With ``write`` (to
    review it) only the student's mentor or group coaches pass; the student and
    the program's staff, who may read it, get 403.
    """
    if not user_roles(user):
        raise PermissionDenied
    submission = get_object_or_404(
        visible_submissions(user).select_related(
            "requirement__kind", "requirement__cycle__program", "enrollment__student__user"
        ),
        pk=pk,
    )
    if write and not reviewable_enrollments(user).filter(pk=submission.enrollment_id).exists():
        raise PermissionDenied
    return submission
