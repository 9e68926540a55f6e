"""How often a program's people are reminded (read by the reminder sources).

Kept out of models.py to keep that module short; models.py imports it so
Django finds the model in the programs app.
"""

import contextlib

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .http import parse_number

DEFAULT_DAYS_BEFORE = "14,7,1"
DAYS_LIST_PATTERN = r"^[1-9][0-9]{0,2}(,[1-9][0-9]{0,2}){0,9}$"


def parse_days(text):
    """``"14, 7,1"`` -> ``(14, 7, 1)``, largest first, without repeats.

    Raises ValueError when a part is not a whole number from 1 to 999.
    """
    days = set()
    for part in str(text).split(","):
        day = parse_number(part.strip(), maximum=999)
        if day is None:
            raise ValueError(part)
        days.add(day)
    return tuple(sorted(days, reverse=True))


def validate_days_list(value):
    try:
        days = parse_days(value)
    except ValueError:
        raise ValidationError(
            _("Give whole numbers of days from 1 to 999, separated by commas, e.g. 14,7,1."),
            code="invalid_days",
        ) from None
    if len(days) > 10:
        raise ValidationError(_("Give at most ten reminder days."), code="too_many_days")


def positive(name):
    return Q(**{f"{name}__gte": 1})


POSITIVE_FIELDS = (
    "overdue_every_days",
    "overdue_times",
    "meeting_gap_days",
    "unconfirmed_meeting_days",
    "review_waiting_days",
    "activity_hours_before",
    "selection_days_before",
)


class ReminderPolicy(models.Model):
    """When reminders of one program fall due. One per program."""

    program = models.OneToOneField(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="reminder_policy",
        verbose_name=_("program"),
    )
    deliverable_days_before = models.CharField(
        _("remind of a deliverable this many days before it is due"),
        max_length=40,
        default=DEFAULT_DAYS_BEFORE,
        validators=[validate_days_list],
        help_text=_("Whole numbers separated by commas, e.g. 14,7,1."),
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("then, once overdue, every this many days"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    overdue_times = models.PositiveSmallIntegerField(
        _("at most this many overdue reminders"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    meeting_gap_days = models.PositiveSmallIntegerField(
        _("nudge a pair after this many days without a confirmed meeting"),
        default=30,
        validators=[MinValueValidator(1)],
    )
    unconfirmed_meeting_days = models.PositiveSmallIntegerField(
        _("nudge a student this many days after a meeting awaits confirmation"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    review_waiting_days = models.PositiveSmallIntegerField(
        _("remind reviewers after a submission waited this many days"),
        default=7,
        validators=[MinValueValidator(1)],
    )
    activity_hours_before = models.PositiveSmallIntegerField(
        _("remind of an activity this many hours before it starts"),
        default=24,
        validators=[MinValueValidator(1)],
    )
    selection_days_before = models.PositiveSmallIntegerField(
        _("remind of the preference deadline this many days before"),
        default=3,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(*(positive(name) for name in POSITIVE_FIELDS)),
                name="reminder_policy_positive",
                violation_error_message=_("Reminder periods must be at least one."),
            ),
            models.CheckConstraint(
                condition=Q(deliverable_days_before__regex=DAYS_LIST_PATTERN),
                name="reminder_policy_days_list",
                violation_error_message=_(
                    "Give whole numbers of days from 1 to 999, separated by commas, e.g. 14,7,1."
                ),
            ),
        ]

    def __str__(self):
        return str(_("Reminder policy"))

    @property
    def days_before(self):
        return parse_days(self.deliverable_days_before)

    def clean(self):
        super().clean()
        # Stored canonically so the DB pattern (no spaces) always holds.
        with contextlib.suppress(ValueError):
            self.deliverable_days_before = ",".join(
                map(str, parse_days(self.deliverable_days_before))
            )


def policies_for(program_ids):
    """``{program_id: ReminderPolicy}`` for ``program_ids``, one query.

    A program without a row (created before its policy, or by a bare
    ``Program.objects.create``) gets an unsaved default one.
    """
    program_ids = set(program_ids)
    found = {p.program_id: p for p in ReminderPolicy.objects.filter(program_id__in=program_ids)}
    for program_id in program_ids - found.keys():
        found[program_id] = ReminderPolicy(program_id=program_id)
    return found
