"""Two-way selection: both sides' rankings, matching runs and the matches."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Cycle

from .participation import Engagement, Enrollment
from .people import User


class StudentPreference(models.Model):
    """A student's ranking of one mentor in a cycle (1 is the first choice)."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="preferences",
        verbose_name=_("enrollment"),
    )
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="student_preferences",
        verbose_name=_("mentor"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("student preference")
        verbose_name_plural = _("student preferences")
        ordering = ["enrollment", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "engagement"],
                name="studentpreference_unique_mentor",
                violation_error_message=_("This mentor is already on the student's list."),
            ),
            models.UniqueConstraint(
                fields=["enrollment", "rank"],
                name="studentpreference_unique_rank",
                violation_error_message=_("Two mentors cannot share a rank."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1), name="studentpreference_rank_positive"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment} → {self.engagement} (#{self.rank})"


class MentorPreference(models.Model):
    """A mentor's judgement of a student who ranked them: a rank, or not acceptable."""

    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="mentor_preferences",
        verbose_name=_("mentor"),
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="mentor_preferences",
        verbose_name=_("student"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    acceptable = models.BooleanField(_("acceptable"), default=True)

    class Meta:
        verbose_name = _("mentor preference")
        verbose_name_plural = _("mentor preferences")
        ordering = ["engagement", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "enrollment"],
                name="mentorpreference_unique_student",
                violation_error_message=_("This student is already on the mentor's list."),
            ),
            models.UniqueConstraint(
                fields=["engagement", "rank"],
                condition=Q(rank__isnull=False),
                name="mentorpreference_unique_rank",
                violation_error_message=_("Two students cannot share a rank."),
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | (Q(rank__gte=1) & Q(acceptable=True)),
                name="mentorpreference_rank_only_if_acceptable",
                violation_error_message=_("A student marked not acceptable cannot be ranked."),
            ),
        ]

    def __str__(self):
        return f"{self.engagement} → {self.enrollment}"


class RunStatus(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    COMMITTED = "committed", _("Committed")
    DISCARDED = "discarded", _("Discarded")


class MatchingLevel(models.TextChoices):
    MENTOR = "mentor", _("Students to mentors")
    GROUP = "group", _("Students to coaching groups")


class MatchingRun(models.Model):
    """One run of the matching on a cycle: its input, result and figures.

    A run is a preview; only committing it creates Matches.
    """

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="matching_runs", verbose_name=_("cycle")
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    level = models.CharField(
        _("matching of"),
        max_length=10,
        choices=MatchingLevel.choices,
        default=MatchingLevel.MENTOR,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.PREVIEW
    )
    # The input exactly as solved, so a result can be explained and re-checked later.
    input_snapshot = models.JSONField(_("input"))
    fingerprint = models.CharField(_("input fingerprint"), max_length=64)
    result = models.JSONField(_("result"))
    students_count = models.PositiveIntegerField(_("students"))
    matched_count = models.PositiveIntegerField(_("matched"))
    unmatched_count = models.PositiveIntegerField(_("unmatched"))
    first_choice_share = models.FloatField(_("share with first choice"))
    top3_share = models.FloatField(_("share with a top-3 choice"))
    under_minimum_count = models.PositiveIntegerField(_("mentors under minimum capacity"))
    blocking_pairs_count = models.PositiveIntegerField(_("blocking pairs"), default=0)
    solve_ms = models.PositiveIntegerField(_("solve time (ms)"), default=0)
    committed_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committed by"),
    )
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["cycle", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="committed", committed_at__isnull=False)
                | ~Q(status="committed"),
                name="matchingrun_committed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.created_at:%Y-%m-%d %H:%M}"


class MatchSource(models.TextChoices):
    ALGORITHM = "algorithm", _("Matching")
    MANUAL = "manual", _("Placed by hand")


class Match(models.Model):
    """A student's mentor in a cycle."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="match", verbose_name=_("student")
    )
    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="matches", verbose_name=_("mentor")
    )
    source = models.CharField(_("source"), max_length=20, choices=MatchSource.choices)
    run = models.ForeignKey(
        MatchingRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("matching run"),
    )
    rank = models.PositiveSmallIntegerField(_("student's rank of the mentor"), null=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["engagement", "enrollment"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="algorithm", run__isnull=False)
                | Q(source="manual", reason__gt=""),
                name="match_source_explained",
                violation_error_message=_(
                    "A match comes from a matching run or is placed by hand with a reason."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.enrollment} ↔ {self.engagement}"
