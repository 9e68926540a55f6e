"""A person's place in a program and its cycles: roster, contract, enrollment."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from programs.dates import date_range_constraint, validate_date_in_range
from programs.models import Cycle, Program

from ..querysets import EngagementQuerySet, EnrollmentQuerySet
from .people import MentorProfile, StudentProfile, User


class RosterRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    STUDENT = "student", _("Student")


class RosterEntry(models.Model):
    """A person on a program's roster, the pool cycles recruit from."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="roster",
        verbose_name=_("program"),
    )
    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="roster_entries",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=10, choices=RosterRole.choices)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["program", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"],
                name="rosterentry_unique",
                violation_error_message=_("This person is already on the program's roster."),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.program}"


class EngagementStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


class Engagement(models.Model):
    """A mentor's contract for one cycle."""

    mentor = models.ForeignKey(
        MentorProfile,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("mentor"),
    )
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("cycle"),
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EngagementStatus.choices,
        default=EngagementStatus.INVITED,
    )
    contract_start = models.DateField(
        _("contract start"), null=True, blank=True, validators=[validate_date_in_range]
    )
    contract_end = models.DateField(
        _("contract end"), null=True, blank=True, validators=[validate_date_in_range]
    )
    priority = models.BooleanField(
        _("priority"),
        default=False,
        help_text=_("Rated excellent in the previous cycle."),
    )
    rated_excellent = models.BooleanField(
        _("rated excellent"),
        default=False,
        help_text=_("Rated excellent at the end of this cycle: priority in the next one."),
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["cycle", "mentor"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "cycle"],
                name="engagement_unique",
                violation_error_message=_("This mentor is already engaged in the cycle."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="engagement_capacity_positive",
                violation_error_message=_("Capacity must be at least one student."),
            ),
            models.CheckConstraint(
                condition=Q(contract_start__isnull=True)
                | Q(contract_end__isnull=True)
                | Q(contract_end__gte=F("contract_start")),
                name="engagement_contract_ordered",
                violation_error_message=_("The contract cannot end before it starts."),
            ),
            date_range_constraint("contract_start", name="engagement_contract_start_in_range"),
            date_range_constraint("contract_end", name="engagement_contract_end_in_range"),
        ]

    def __str__(self):
        return f"{self.mentor} · {self.cycle}"

    def clean(self):
        super().clean()
        program = self.cycle.program if self.cycle_id else None
        if program and self.capacity is not None:
            low, high = program.mentor_capacity_min, program.mentor_capacity_max
            if not low <= self.capacity <= high:
                raise ValidationError(
                    {
                        "capacity": _("The program allows %(low)s to %(high)s students per mentor.")
                        % {"low": low, "high": high}
                    }
                )


class EnrollmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    MATCHED = "matched", _("Matched")
    WAITLISTED = "waitlisted", _("Waitlisted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # Took part to the end: set when the cycle closes (mentorship.stage_effects).
    FINISHED = "finished", _("Finished")


class Enrollment(models.Model):
    """A student's participation in one cycle."""

    student = models.ForeignKey(
        StudentProfile,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("student"),
    )
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("cycle"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.APPLIED,
    )
    statement = models.TextField(_("statement"), blank=True)
    tie_break = models.PositiveIntegerField(
        _("tie-break position"),
        null=True,
        blank=True,
        help_text=_(
            "Order in which mentors who did not rank this student consider them; "
            "lower first, empty after all numbered students, then by enrollment date."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["cycle", "student"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "cycle"],
                name="enrollment_unique",
                violation_error_message=_("This student is already enrolled in the cycle."),
            )
        ]

    def __str__(self):
        return f"{self.student} · {self.cycle}"
