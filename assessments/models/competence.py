"""Competence self-assessment: a student rates themself on each of the
program's competence dimensions at the start and at the end of a cycle, and
their mentor may add their own rating."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentorship.models import Enrollment, MentorProfile
from programs.models import CompetenceDimension

LEVELS = range(1, 6)


def _level_field():
    return models.PositiveSmallIntegerField(_("level"), choices=[(n, str(n)) for n in LEVELS])


def _level_in_range(name):
    return models.CheckConstraint(
        condition=Q(level__gte=1) & Q(level__lte=5),
        name=f"{name}_level_range",
        violation_error_message=_("The level must be between 1 and 5."),
    )


class Moment(models.TextChoices):
    START = "start", _("Start of the cycle")
    END = "end", _("End of the cycle")


class LevelDescriptor(models.Model):
    """What a level of a dimension means, shown beside the choice. Dimensions
    without their own text use the defaults of ``assessments.competence``."""

    dimension = models.ForeignKey(
        CompetenceDimension,
        on_delete=models.CASCADE,
        related_name="level_descriptors",
        verbose_name=_("competence dimension"),
    )
    level = _level_field()
    text = models.CharField(_("descriptor"), max_length=200)

    class Meta:
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        ordering = ["dimension", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "level"],
                name="leveldescriptor_unique",
                violation_error_message=_("This level of the dimension already has a descriptor."),
            ),
            _level_in_range("leveldescriptor"),
        ]

    def __str__(self):
        return f"{self.dimension} · {self.level}"


class SelfAssessment(models.Model):
    """A student's ratings of themself at one moment of a cycle."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.PROTECT,
        related_name="self_assessments",
        verbose_name=_("student"),
    )
    moment = models.CharField(_("moment"), max_length=10, choices=Moment.choices)
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("competence self-assessment")
        verbose_name_plural = _("competence self-assessments")
        ordering = ["enrollment", "moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "moment"],
                name="selfassessment_unique",
                violation_error_message=_("The student has already assessed themself then."),
            )
        ]

    def __str__(self):
        return f"{self.enrollment} · {self.get_moment_display()}"


class Rating(models.Model):
    self_assessment = models.ForeignKey(
        SelfAssessment,
        on_delete=models.CASCADE,
        related_name="ratings",
        verbose_name=_("self-assessment"),
    )
    dimension = models.ForeignKey(
        CompetenceDimension,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competence dimension"),
    )
    level = _level_field()
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("self-rating")
        verbose_name_plural = _("self-ratings")
        ordering = ["self_assessment", "dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "dimension"],
                name="rating_unique",
                violation_error_message=_("This dimension is already rated."),
            ),
            _level_in_range("rating"),
        ]

    def __str__(self):
        return f"{self.dimension} · {self.level}"


class MentorRating(models.Model):
    """A mentor's own judgement of a mentee on one dimension at one moment."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.PROTECT,
        related_name="mentor_ratings",
        verbose_name=_("student"),
    )
    dimension = models.ForeignKey(
        CompetenceDimension,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competence dimension"),
    )
    moment = models.CharField(_("moment"), max_length=10, choices=Moment.choices)
    level = _level_field()
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    by = models.ForeignKey(
        MentorProfile,
        on_delete=models.PROTECT,
        related_name="competence_ratings",
        verbose_name=_("mentor"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mentor's competence rating")
        verbose_name_plural = _("mentors' competence ratings")
        ordering = ["enrollment", "moment", "dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "dimension", "moment", "by"],
                name="mentorrating_unique",
                violation_error_message=_("The mentor has already rated this dimension then."),
            ),
            _level_in_range("mentorrating"),
        ]

    def __str__(self):
        return f"{self.enrollment} · {self.dimension} · {self.level}"
