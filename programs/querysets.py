from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

# Staff roles belong to mentorship, which owns people. This app cannot import
# it, so scoping follows the reverse relation by name ("staff_roles").
COORDINATOR = "coordinator"
STEERING = "steering"


def count_per(queryset, field):
    """Subquery: how many rows of ``queryset`` have ``field`` pointing at
    the outer row (0 for none).

    Counted per outer row rather than over a join and GROUP BY: a page then
    counts for the rows it shows, and counting several relations over one
    join multiplies them."""
    per_row = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_row, output_field=IntegerField()), Value(0))


class ProgramQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_staff_role(self, user, *roles):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(staff_roles__user=user, staff_roles__role__in=roles).distinct()

    def coordinated_by(self, user):
        return self.with_staff_role(user, COORDINATOR)

    def steered_by(self, user):
        return self.with_staff_role(user, STEERING)

    def staffed_by(self, user):
        return self.with_staff_role(user, COORDINATOR, STEERING)


class CycleQuerySet(models.QuerySet):
    def open(self):
        """Cycles that are not closed."""
        return self.exclude(stage="closed")

    def in_stage(self, *stages):
        return self.filter(stage__in=stages)

    def coordinated_by(self, user):
        from .models import Program

        return self.filter(program__in=Program.objects.coordinated_by(user))
