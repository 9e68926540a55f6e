"""End-of-cycle satisfaction survey: one response per person and cycle, one
answer per question (programs.SurveyQuestion). The satisfaction rate is the
share of 1-5 answers that are 4 or 5."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentorship.models import Engagement, Enrollment
from programs.evaluation_rules import Audience
from programs.models import Cycle, SurveyQuestion


class SurveyResponse(models.Model):
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("cycle")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("respondent"),
    )
    audience = models.CharField(_("answered as"), max_length=10, choices=Audience.choices)
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("student"),
    )
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("mentor"),
    )
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["cycle", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "respondent", "audience"],
                name="surveyresponse_once_per_cycle",
                violation_error_message=_("You have already answered this survey."),
            ),
            models.CheckConstraint(
                condition=Q(audience="student", enrollment__isnull=False, engagement__isnull=True)
                | Q(audience="mentor", engagement__isnull=False, enrollment__isnull=True),
                name="surveyresponse_participation_matches_audience",
            ),
        ]

    def __str__(self):
        return f"{self.respondent} · {self.cycle}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    value = models.PositiveSmallIntegerField(
        _("answer (1-5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="surveyanswer_unique"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=1) & Q(value__lte=5)),
                name="surveyanswer_value_range",
                violation_error_message=_("Answer from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.question} · {self.value or self.text}"
