from django.db import models


class EngagementQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status="accepted")

    def for_user(self, user):
        return self.filter(mentor__user=user)


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status="withdrawn")

    def for_user(self, user):
        return self.filter(student__user=user)


class GroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Groups ``user`` may look at: their own (as a coach or a student,
        once published) and every group of the programs they coordinate or steer."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        from programs.models import Program

        memberships = self.model._meta.get_field("memberships").related_model.objects.filter(
            published_at__isnull=False
        )
        # A UNION of two indexed lookups: an OR across the two profiles'
        # joins read every membership of every cycle.
        mine = (
            memberships.filter(mentor__user=user)
            .values("group")
            .union(memberships.filter(student__user=user).values("group"))
        )
        return self.filter(
            models.Q(pk__in=mine)
            | models.Q(cycle__program__in=Program.objects.staffed_by(user).values("pk"))
        )

    def with_member(self, user):
        """Groups the user belongs to, as a coach or as a student, once published."""
        return self.filter(
            models.Q(memberships__mentor__user=user) | models.Q(memberships__student__user=user),
            memberships__published_at__isnull=False,
        ).distinct()
