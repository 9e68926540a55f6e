"""A cycle's end-of-cycle evaluation: computed scores, the steering group's
judgments, the standings and the awards.

An evaluation is computed (and re-computed) in the evaluation stage, judged by
the program's steering members, then finalized: from then on nothing in it
changes (assessments.evaluation_finalize says how every write is refused).
Awards are proposed and published in the reward stage.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import AwardCategory, Cycle, RubricCriterion

from .subjects import SubjectRef, subject_constraints


class EvaluationStatus(models.TextChoices):
    NEW = "new", _("Not computed yet")
    COMPUTING = "computing", _("Computing")
    COMPUTED = "computed", _("Computed")
    FINALIZED = "finalized", _("Finalized")


class Evaluation(models.Model):
    cycle = models.OneToOneField(
        Cycle, on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("cycle")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.NEW
    )
    # Progress of a running computation, for the admin's progress display.
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps"), default=0)
    error = models.TextField(_("last error"), blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("computed by"),
    )
    finalized_at = models.DateTimeField(_("finalized"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalized by"),
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="finalized")
                | (Q(finalized_at__isnull=False) & Q(finalized_by__isnull=False)),
                name="evaluation_finalized_says_who_and_when",
            ),
        ]

    def __str__(self):
        return str(self.cycle)

    @property
    def is_final(self):
        return self.status == EvaluationStatus.FINALIZED


class EvaluationFinalized(Exception):
    """A row of a finalized evaluation was about to change."""


class FrozenOnceFinal:
    """Rows that no longer change once their evaluation is finalized.

    ``save()`` and ``delete()`` refuse then, for code that goes through the
    model (the admin, the shell, a future form). Bulk writes do not call
    them: the services that use those check the status under a lock on the
    evaluation.
    """

    def _refuse_if_final(self):
        finalized = Evaluation.objects.filter(
            pk=self.evaluation_id, status=EvaluationStatus.FINALIZED
        )
        if finalized.exists():
            raise EvaluationFinalized(
                _("The evaluation is finalized: its %(rows)s no longer change.")
                % {"rows": self._meta.verbose_name_plural}
            )

    def save(self, *args, **kwargs):
        self._refuse_if_final()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_final()
        return super().delete(*args, **kwargs)


class Score(FrozenOnceFinal, SubjectRef):
    """One computed criterion for one subject. ``raw`` is the figure as found
    (a count, a share, a mean); ``value`` is it on the 0-100 scale. Missing
    evidence the program expects has no ``raw`` and a ``value`` of 0; a
    criterion that does not apply to the subject (or is not judged yet) has
    no ``value`` and is left out of their total, the other weights counting
    for it (assessments.evaluation_review.score_case)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("evaluation")
    )
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    raw = models.FloatField(_("figure"), null=True, blank=True)
    value = models.FloatField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            *subject_constraints("score", "evaluation", "criterion"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=0) & Q(value__lte=100)),
                name="score_value_range",
            ),
        ]


class Standing(FrozenOnceFinal, SubjectRef):
    """A subject's weighted total and rank (1 is best; equal totals share a
    rank and are ``tied``). ``place`` orders everyone ranked, ties broken by
    the steering group's score, then the criterion that breaks ties: awards
    are proposed by place up to their quota."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="standings", verbose_name=_("evaluation")
    )
    total = models.FloatField(_("total"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    place = models.PositiveIntegerField(_("place after tie-breaks"), null=True, blank=True)
    tied = models.BooleanField(_("tied"), default=False)

    class Meta:
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        ordering = ["evaluation", "subject", "rank", "place"]
        constraints = subject_constraints("standing", "evaluation")


class Judgment(FrozenOnceFinal, SubjectRef):
    """A steering member's score (1-10) of one subject on one judged criterion."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="judgments", verbose_name=_("evaluation")
    )
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="judgments",
        verbose_name=_("judge"),
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("judgment")
        verbose_name_plural = _("judgments")
        constraints = [
            *subject_constraints("judgment", "evaluation", "criterion", "judge"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=10),
                name="judgment_score_range",
                violation_error_message=_("A score runs from 1 to 10."),
            ),
        ]


class AwardDecision(models.TextChoices):
    PENDING = "pending", _("To decide")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


OVERRIDE_NEEDS_REASON = _("Say why the steering group departs from the proposal.")


class Award(SubjectRef):
    """A candidate for an award category: proposed by rank, or added by the
    steering group. Departing from the proposal (confirming someone not
    proposed, declining someone proposed) needs a written reason."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="awards", verbose_name=_("evaluation")
    )
    category = models.ForeignKey(
        AwardCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    proposed = models.BooleanField(_("proposed by rank"), default=False)
    tied = models.BooleanField(
        _("tied at the quota's edge"),
        default=False,
        help_text=_("Shares the last rank within the quota with someone beyond it."),
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=AwardDecision.choices, default=AwardDecision.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    citation = models.TextField(_("citation"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            *subject_constraints("award", "evaluation", "category"),
            models.CheckConstraint(
                condition=Q(decision="pending")
                | Q(proposed=True, decision="confirmed")
                | Q(proposed=False, decision="declined")
                | ~Q(reason=""),
                name="award_override_has_reason",
                violation_error_message=OVERRIDE_NEEDS_REASON,
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(decision="confirmed"),
                name="award_published_only_if_confirmed",
            ),
        ]

    def lacks_reason(self):
        """Whether this row breaks ``award_override_has_reason`` (a departure
        from the proposal without a written reason). The same rule in Python,
        so a page of decisions is checked without a query a row (Django's
        validate_constraints asks the database); the constraint stays the guard."""
        follows = self.decision == AwardDecision.PENDING or (
            self.decision == (AwardDecision.CONFIRMED if self.proposed else AwardDecision.DECLINED)
        )
        return not follows and self.reason == ""
