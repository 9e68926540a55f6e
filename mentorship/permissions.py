"""Access checks. Anonymous users are sent to login by LoginRequiredMixin; a
signed-in person without the role gets 403; someone else's record is 404, so
its existence is not revealed."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django_htmx.http import HttpResponseClientRedirect

from programs.models import Program

from .models import (
    LEADER_ROLES,
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupMembership,
    Opportunity,
)
from .publishing import published_matches
from .roles import MENTOR, STUDENT, user_roles


class RoleRequiredMixin(LoginRequiredMixin):
    required_role = None

    def handle_no_permission(self):
        response = super().handle_no_permission()
        # htmx would swap the login page into a fragment of the page: whoever
        # was signed out mid-way goes to the login page instead, and back after.
        if self.request.htmx and not self.request.user.is_authenticated:
            return HttpResponseClientRedirect(response["Location"])
        return response

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_role not in user_roles(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _require_role(user, role):
    # Views put LoginRequiredMixin first, so only signed-in people get here.
    if role not in user_roles(user):
        raise PermissionDenied


def get_enrollment_for_user(user, pk, *, write=False):
    """The signed-in student's own enrollment ``pk``, with its cycle and program.

    403 without the student role; 404 for anyone else's enrollment, and with
    ``write`` for a withdrawn one, which may be read but no longer changed.
    """
    _require_role(user, STUDENT)
    enrollments = Enrollment.objects.for_user(user).select_related(
        "cycle__program", "student__user"
    )
    if write:
        enrollments = enrollments.exclude(status=EnrollmentStatus.WITHDRAWN)
    return get_object_or_404(enrollments, pk=pk)


def get_engagement_for_user(user, pk, *, write=False, contract=False):
    """The signed-in mentor's own engagement ``pk``, with its cycle and program.

    403 without the mentor role; 404 for another mentor's engagement or one
    never accepted (invited, declined); with ``write`` only an accepted one.
    With ``contract`` every status counts: the contract page shows and answers
    invitations, and its service checks what may change.
    """
    _require_role(user, MENTOR)
    engagements = Engagement.objects.for_user(user).select_related("cycle__program", "mentor__user")
    if not contract:
        statuses = [EngagementStatus.ACCEPTED]
        if not write:
            statuses.append(EngagementStatus.ENDED)
        engagements = engagements.filter(status__in=statuses)
    return get_object_or_404(engagements, pk=pk)


def get_led_group_for_user(user, pk, *, write=False):
    """Coaching group ``pk`` with student places, for one of its chief or leading coaches.

    403 without the mentor role, and for a plain coach of the group (a member
    without the right to judge students); 404 for a group the mentor is not
    in, or one that takes no students through the selection. ``write`` asks
    nothing more: leaders judge while the selection is open (checked by the service).
    """
    _require_role(user, MENTOR)
    group = get_object_or_404(
        Group.objects.filter(capacity__gt=0, memberships__mentor__user=user)
        .select_related("cycle__program")
        .distinct(),
        pk=pk,
    )
    if not GroupMembership.objects.filter(
        group=group, mentor__user=user, role__in=LEADER_ROLES
    ).exists():
        raise PermissionDenied
    return group


def get_group_for_user(user, pk, *, write=False):
    """Group ``pk`` with its cycle and program, if ``user`` may see it.

    Members (coaches and students) and the program's coordinators and steering
    members see it; anyone else gets 404. With ``write`` only the program's
    coordinators (and superusers) pass; other viewers get 403.
    """
    group = get_object_or_404(
        Group.objects.visible_to(user).select_related("cycle__program"), pk=pk
    )
    if write and not (
        user.is_superuser
        or Program.objects.coordinated_by(user).filter(pk=group.cycle.program_id).exists()
    ):
        raise PermissionDenied
    return group


def get_mentee_enrollment_for_user(user, pk, *, write=False):
    """Enrollment ``pk`` of one of the signed-in mentor's published mentees.

    403 without the mentor role; 404 for anyone else's student or a match not
    yet published; with ``write`` also for a withdrawn enrollment.
    """
    _require_role(user, MENTOR)
    enrollments = Enrollment.objects.filter(
        match__in=published_matches().filter(engagement__mentor__user=user)
    ).select_related("cycle__program", "student__user", "match__engagement__mentor")
    if write:
        enrollments = enrollments.exclude(status=EnrollmentStatus.WITHDRAWN)
    return get_object_or_404(enrollments, pk=pk)


def get_opportunity_for_user(user, pk, *, write=False):
    """Opportunity ``pk`` with its cycle and author, for its author or a recipient.

    The mentor who posted it sees and changes it; a student it was sent to
    sees it (and sets their own status through the service); anyone else gets
    404. With ``write`` a recipient gets 403.
    """
    if not user.is_authenticated:
        raise PermissionDenied
    opportunity = get_object_or_404(
        Opportunity.objects.filter(
            Q(author__user=user) | Q(recipients__enrollment__student__user=user)
        )
        .select_related("cycle__program", "author__user", "group")
        .distinct(),
        pk=pk,
    )
    if write and opportunity.author.user_id != user.pk:
        raise PermissionDenied
    return opportunity
