"""Group-level selection: students rank coaching groups, chief coaches judge them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .groups import Group
from .participation import Enrollment


class GroupPreference(models.Model):
    """A student's ranking of one coaching group in a cycle (1 is the first choice)."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="group_preferences",
        verbose_name=_("enrollment"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        related_name="student_preferences",
        verbose_name=_("group"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("group preference")
        verbose_name_plural = _("group preferences")
        ordering = ["enrollment", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "group"],
                name="grouppreference_unique_group",
                violation_error_message=_("This group is already on the student's list."),
            ),
            models.UniqueConstraint(
                fields=["enrollment", "rank"],
                name="grouppreference_unique_rank",
                violation_error_message=_("Two groups cannot share a rank."),
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="grouppreference_rank_positive"),
        ]

    def __str__(self):
        return f"{self.enrollment} → {self.group} (#{self.rank})"


class GroupJudgement(models.Model):
    """A group leader's judgement of a student who ranked the group."""

    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        related_name="judgements",
        verbose_name=_("group"),
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="group_judgements",
        verbose_name=_("student"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    acceptable = models.BooleanField(_("acceptable"), default=True)

    class Meta:
        verbose_name = _("group judgement")
        verbose_name_plural = _("group judgements")
        ordering = ["group", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "enrollment"],
                name="groupjudgement_unique_student",
                violation_error_message=_("This student is already on the group's list."),
            ),
            models.UniqueConstraint(
                fields=["group", "rank"],
                condition=Q(rank__isnull=False),
                name="groupjudgement_unique_rank",
                violation_error_message=_("Two students cannot share a rank."),
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | (Q(rank__gte=1) & Q(acceptable=True)),
                name="groupjudgement_rank_only_if_acceptable",
                violation_error_message=_("A student marked not acceptable cannot be ranked."),
            ),
        ]

    def __str__(self):
        return f"{self.group} → {self.enrollment}"
