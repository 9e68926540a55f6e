"""Deliverables: what a cycle asks of its students, their drafts, the
versions they submit and the mentors' reviews of those versions.

Submitted versions and reviews are a record: once written they never change,
so a student's history and a mentor's comment always read as they were.
"""

import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mentorship.models import Enrollment, MentorProfile
from programs.dates import date_range_constraint, validate_date_in_range
from programs.models import Cycle, DeliverableKind

GRADE_MAX = 100


class Requirement(models.Model):
    """A deliverable kind a cycle asks every student for, with its due date."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="requirements", verbose_name=_("cycle")
    )
    kind = models.ForeignKey(
        DeliverableKind,
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("deliverable kind"),
    )
    instructions = models.TextField(
        _("instructions"), blank=True, help_text=_("Shown to students above the form.")
    )
    due_at = models.DateTimeField(_("due"), validators=[validate_date_in_range])
    locked = models.BooleanField(
        _("refuse late submissions"),
        default=False,
        help_text=_(
            "Once the due date has passed, students can no longer submit. "
            "Unlocked, late submissions are accepted and marked late."
        ),
    )
    open_until_due = models.BooleanField(
        _("open in the final evaluation until due"),
        default=False,
        help_text=_(
            "Students can still hand it in after the cycle moves to the final evaluation, "
            "until its due date. Chosen when the cycle moves on before the due date."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("deliverable requirement")
        verbose_name_plural = _("deliverable requirements")
        ordering = ["cycle_id", "due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "kind"],
                name="requirement_unique_kind",
                violation_error_message=_("The cycle already asks for this deliverable."),
            ),
            date_range_constraint("due_at", name="requirement_due_at_in_range", timed=True),
        ]

    def __str__(self):
        return f"{self.kind.label} · {self.cycle}"

    def clean(self):
        super().clean()
        if self.kind_id and self.cycle_id and self.kind.program_id != self.cycle.program_id:
            raise ValidationError(
                {"kind": _("Choose a deliverable kind of the cycle's own program.")}
            )

    def is_late(self, at):
        return at > self.due_at


class Draft(models.Model):
    """A student's unsubmitted work on a requirement; overwritten at each save."""

    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("requirement")
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("student")
    )
    content = models.JSONField(_("content"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "enrollment"], name="draft_one_per_student"
            )
        ]

    def __str__(self):
        return f"{self.requirement} · {self.enrollment.student}"


def submission_upload_to(instance, filename):
    # A random name: nobody can guess another student's file, and the student's
    # own file name (which may carry anything) never reaches the disk.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"deliverables/{uuid.uuid4().hex}{suffix}"


class ImmutableRecord(models.Model):
    """A row written once. ``save`` refuses updates and ``delete`` refuses
    removal, so no code path can rewrite history by accident; the admin shows
    these rows read-only. (A raw ``QuerySet.update`` bypasses this: no code of
    the project uses one on these models.)"""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                _("%(record)s cannot be changed once written.")
                % {"record": capfirst(self._meta.verbose_name)}
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(
            _("%(record)s cannot be deleted.") % {"record": capfirst(self._meta.verbose_name)}
        )


class Submission(ImmutableRecord):
    """One submitted version of a student's deliverable, numbered 1, 2, ..."""

    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("requirement"),
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("student")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"), default=dict, blank=True)
    file = models.FileField(_("file"), upload_to=submission_upload_to, blank=True, max_length=200)
    # Kept so a student's used file space is one sum, not a look at every file.
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    late = models.BooleanField(_("late"), default=False)
    # The key of the form that made this version: a repeated POST of the same
    # form (a double click) finds it instead of making another.
    submit_key = models.UUIDField(_("form key"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        # Columns, not relations: Django's ordering-loop check trips over the
        # chained relation orderings when a mentor or student row is deleted.
        ordering = ["requirement_id", "enrollment_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "enrollment", "number"],
                name="submission_unique_version",
                violation_error_message=_("This version was already submitted."),
            ),
            models.UniqueConstraint(
                fields=["requirement", "enrollment", "submit_key"],
                name="submission_unique_form_key",
                violation_error_message=_("This version was already submitted."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="submission_number_positive"),
            models.CheckConstraint(
                condition=~Q(file="") | Q(file_size=0), name="submission_no_file_no_size"
            ),
        ]

    def __str__(self):
        return f"{self.requirement.kind.label} · {self.enrollment.student.user} · v{self.number}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            # Every way a version is written records its file's size.
            self.file_size = self.file.size if self.file else 0
        super().save(*args, **kwargs)


class ReviewDecision(models.TextChoices):
    COMMENT = "comment", _("Comment only")
    RETURNED = "returned", _("Return for revision")
    ACCEPTED = "accepted", _("Accept")


class Review(ImmutableRecord):
    """A mentor's comment on a version, possibly deciding it."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("version")
    )
    reviewer = models.ForeignKey(
        MentorProfile, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("reviewer")
    )
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    grade = models.PositiveSmallIntegerField(
        _("grade"),
        null=True,
        blank=True,
        help_text=_("Optional, from 0 to 100."),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["submission_id", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__lte=GRADE_MAX),
                name="review_grade_range",
                violation_error_message=_("A grade is between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(decision="accepted") | ~Q(comment=""),
                name="review_comment_unless_accepted",
                violation_error_message=_("Say what to revise or what you think in a comment."),
            ),
            # One decision per version: a second would contradict the first.
            models.UniqueConstraint(
                fields=["submission"],
                condition=~Q(decision="comment"),
                name="review_one_decision_per_version",
                violation_error_message=_("This version has already been decided."),
            ),
        ]

    def __str__(self):
        return f"{self.submission} · {self.get_decision_display()}"
