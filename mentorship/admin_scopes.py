"""Which people belong to a set of programs, for admin scoping.

A person has no program column: they belong to every program whose roster
they are on, in which they hold a staff role, or in whose cycles they are
engaged as a mentor or enrolled as a student. Subqueries rather than joins,
so a person in several programs is still one changelist row.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from programs.admin_scoping import CHANGE, VIEW, ProgramScopedAdmin, program_ids
from programs.models import Cycle

from .models import Engagement, Enrollment, RosterEntry, StaffRole


def people_in_programs(program_ids, user_field="pk"):
    """A Q matching rows whose ``user_field`` is a person of ``program_ids``."""
    lookup = f"{user_field}__in"
    return (
        Q(**{lookup: RosterEntry.objects.filter(program__in=program_ids).values("user_id")})
        | Q(**{lookup: StaffRole.objects.filter(program__in=program_ids).values("user_id")})
        | Q(
            **{
                lookup: Engagement.objects.filter(cycle__program__in=program_ids).values(
                    "mentor__user_id"
                )
            }
        )
        | Q(
            **{
                lookup: Enrollment.objects.filter(cycle__program__in=program_ids).values(
                    "student__user_id"
                )
            }
        )
    )


class PersonScopedAdmin(ProgramScopedAdmin):
    """Admin of a model that is a person (``user_field="pk"``) or hangs on one."""

    user_field = "user"

    def scope_queryset(self, queryset, ids):
        return queryset.filter(people_in_programs(ids, self.user_field))


def scoped_cycle(model_admin, request, cycle_id, *, change):
    """The cycle of a custom admin page on a cycle, if the person may see it
    (else 404) and, for ``change``, act on it (else 403). ``model_admin``'s
    view permission says whether they may use the page at all."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    cycle = get_object_or_404(Cycle.objects.select_related("program"), pk=cycle_id)
    visible, changeable = program_ids(request, VIEW), program_ids(request, CHANGE)
    if visible is not None and cycle.program_id not in visible:
        raise Http404(_("This cycle does not exist or is not yours to see."))
    if change and changeable is not None and cycle.program_id not in changeable:
        raise PermissionDenied
    return cycle
