"""Who may see a progress dashboard.

A cycle's dashboard: the program's coordinators and steering members. A
group's dashboard: they too, and the group's chief and leading coaches. A
person with no role, or one who takes part in the cycle without running it
(a coach, a student, a group leader asking for the whole cycle), gets 403;
anyone else (another program's staff, say) 404, so the cycle or group is
not revealed. Anonymous visitors are sent to sign in by the views.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from mentorship.models import LEADER_ROLES, Group
from mentorship.roles import user_roles
from programs.models import Cycle, Program


def _runs(user, program_id):
    return user.is_superuser or Program.objects.staffed_by(user).filter(pk=program_id).exists()


def get_cycle_for_dashboard(user, pk):
    """Cycle ``pk`` with its program, if ``user`` may see its whole dashboard."""
    if not user_roles(user):
        raise PermissionDenied
    cycle = get_object_or_404(Cycle.objects.select_related("program"), pk=pk)
    if _runs(user, cycle.program_id):
        return cycle
    takes_part = Cycle.objects.filter(
        Q(engagements__mentor__user=user)
        | Q(enrollments__student__user=user)
        | Q(groups__memberships__mentor__user=user),
        pk=cycle.pk,
    )
    if takes_part.exists():
        raise PermissionDenied
    raise Http404


def get_group_for_dashboard(user, pk):
    """Group ``pk`` with its cycle and program, if ``user`` may see its dashboard."""
    if not user_roles(user):
        raise PermissionDenied
    group = get_object_or_404(
        Group.objects.visible_to(user).select_related("cycle__program"), pk=pk
    )
    if _runs(user, group.cycle.program_id):
        return group
    if group.memberships.filter(mentor__user=user, role__in=LEADER_ROLES).exists():
        return group
    raise PermissionDenied
