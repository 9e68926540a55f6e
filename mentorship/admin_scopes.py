"""Which people belong to a set of programs, for admin scoping.

A person has no program column: they belong to every program whose roster
they are on, in which they hold a staff role, or in whose cycles they are
engaged as a mentor or enrolled as a student. Subqueries rather than joins,
so a person in several programs is still one changelist row.
"""

from django.db.models import Q

from programs.admin_scoping import ProgramScopedAdmin

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
