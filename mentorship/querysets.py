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
    def with_member(self, user):
        """Groups the user belongs to, as a coach or as a student."""
        return self.filter(
            models.Q(memberships__mentor__user=user) | models.Q(memberships__student__user=user)
        ).distinct()
