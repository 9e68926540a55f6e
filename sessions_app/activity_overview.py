"""Activities on a person's lists and homes, each with their own answer, in one query."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FilteredRelation,
    Q,
    Value,
    When,
)
from django.utils import timezone

from .activity_access import my_activities, organised_q
from .models import RegistrationStatus

HOME_LIMIT = 5


def with_my_answer(activities, user):
    """``activities`` annotated for ``user``: ``my_status``, ``my_attendance``,
    ``my_rating``, ``going_count``, ``waiting_count`` and ``i_organise``."""
    # The person's own registration is unique per activity, so one outer join
    # reads it without multiplying rows; three correlated subqueries per row
    # made PostgreSQL's estimate large enough to start JIT compiling.
    return (
        activities.select_related("cycle__program", "group")
        .annotate(
            my_registration=FilteredRelation("registrations", condition=Q(registrations__user=user))
        )
        .annotate(
            my_status=F("my_registration__status"),
            my_attendance=F("my_registration__attendance"),
            my_rating=F("my_registration__rating"),
            going_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.GOING)
            ),
            waiting_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
            i_organise=Case(
                When(organised_q(user), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("starts_at", "pk")
    )


def upcoming_activities(user):
    """The next few activities ``user`` is invited to or registered for, soonest first."""
    now = timezone.now()
    return list(with_my_answer(my_activities(user).filter(ends_at__gte=now), user)[:HOME_LIMIT])
