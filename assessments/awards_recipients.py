"""Who holds a published award: the student of a student award, the mentor
of a mentor award, and for a group award the group's published students and
its coaches. They, and the program's coordinators and steering members,
download its certificate; to anyone else it does not exist."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from mentorship.models import GroupRole
from programs.models import Program

from .awards import group_recipients
from .models import Award

# What an award needs to name its recipient, category and cycle without
# further queries (the homes, the certificate and the admin list).
RELATED = (
    "category",
    "evaluation__cycle__program",
    "enrollment__student__user",
    "engagement__mentor__user",
    "group",
)


def _as_student(user):
    members = group_recipients().filter(role=GroupRole.STUDENT, student__user=user)
    return Q(enrollment__student__user=user) | Q(group__in=members.values("group"))


def _as_mentor(user):
    members = group_recipients().filter(mentor__user=user).exclude(role=GroupRole.STUDENT)
    return Q(engagement__mentor__user=user) | Q(group__in=members.values("group"))


def _published():
    return Award.objects.filter(published_at__isnull=False).select_related(*RELATED)


def certificate_award(user, pk):
    """Published award ``pk`` if ``user`` holds it or staffs its program; 404
    otherwise (also for an award not published yet)."""
    awards = _published()
    if not user.is_superuser:
        staffed = Program.objects.staffed_by(user).values("pk")
        awards = awards.filter(
            _as_student(user) | _as_mentor(user) | Q(evaluation__cycle__program__in=staffed)
        )
    return get_object_or_404(awards, pk=pk)


def _held(user, held):
    """``user``'s published awards, newest first (one query)."""
    return list(_published().filter(held).order_by("-published_at", "category__position", "pk"))


def student_awards(user):
    return _held(user, _as_student(user))


def mentor_awards(user):
    return _held(user, _as_mentor(user))
