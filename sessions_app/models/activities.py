"""Activities of a cycle, who is invited, who registered, who came and how they rated it."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.dates import date_range_constraint, validate_date_in_range

ATTENDANCE_OPENS_BEFORE = datetime.timedelta(hours=1)

__all__ = [
    "Activity",
    "ActivityInvitation",
    "ActivityKind",
    "Attendance",
    "CalendarToken",
    "Registration",
    "RegistrationStatus",
]


class ActivityKind(models.TextChoices):
    KICK_OFF = "kick_off", _("Kick-off ceremony")
    EXCHANGE_SALON = "exchange_salon", _("Exchange salon")
    COMMUNICATION_DINNER = "communication_dinner", _("Communication dinner")
    CASE_STUDY_REPORT = "case_study_report", _("Case-study summary report")
    COMMENDATION = "commendation", _("Commendation meeting")
    COMPANY_VISIT = "company_visit", _("Company visit")
    TRAINING = "training", _("Training")
    ACTION_SESSION = "action_session", _("Action Session")
    INTERNSHIP_SELECTION = "internship_selection", _("Internship selection")
    RECRUITMENT = "recruitment", _("Recruitment recommendation")
    THESIS_DEFENSE = "thesis_defense", _("Thesis defense")
    OTHER = "other", _("Other")


class Activity(models.Model):
    """A scheduled event of a cycle, optionally run by one of its groups."""

    cycle = models.ForeignKey(
        "programs.Cycle",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("cycle"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_date_in_range])
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_date_in_range])
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    description = models.TextField(_("description"), blank=True)
    guests = models.ManyToManyField(
        "mentorship.Guest", blank=True, related_name="activities", verbose_name=_("guests")
    )
    group = models.ForeignKey(
        "mentorship.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organising group"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("An activity must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="activity_capacity_positive",
                violation_error_message=_("An activity needs at least one place, or no limit."),
            ),
            date_range_constraint("starts_at", name="activity_starts_at_in_range", timed=True),
            date_range_constraint("ends_at", name="activity_ends_at_in_range", timed=True),
        ]

    def __str__(self):
        return self.title

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    @property
    def attendance_open(self):
        # Organisers take attendance at the door: from an hour before the start.
        return timezone.now() >= self.starts_at - ATTENDANCE_OPENS_BEFORE

    @property
    def has_ended(self):
        return self.ends_at <= timezone.now()

    def clean(self):
        super().clean()
        if self.group_id and self.cycle_id and self.group.cycle_id != self.cycle_id:
            raise ValidationError({"group": _("The organising group must be of the same cycle.")})


class ActivityInvitation(models.Model):
    """One invited group (its coaches and published students) or one person."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("activity")
    )
    group = models.ForeignKey(
        "mentorship.Group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity_invitations",
        verbose_name=_("group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_invitations",
        verbose_name=_("person"),
        help_text=_("A student or mentor invited on their own, in a group or not."),
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["activity", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(user__isnull=True))
                | (Q(group__isnull=True) & Q(user__isnull=False)),
                name="activityinvitation_group_or_person",
                violation_error_message=_("Invite either a group or one person."),
            ),
            models.UniqueConstraint(
                fields=["activity", "group"],
                condition=Q(group__isnull=False),
                name="activityinvitation_unique_group",
                violation_error_message=_("This group is already invited."),
            ),
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=Q(user__isnull=False),
                name="activityinvitation_unique_person",
                violation_error_message=_("This person is already invited."),
            ),
        ]

    def __str__(self):
        return str(self.group or self.user)

    def clean(self):
        super().clean()
        if self.group_id and self.activity_id and self.group.cycle_id != self.activity.cycle_id:
            raise ValidationError(
                {"group": _("Only groups of the activity's cycle can be invited.")}
            )
        if self.user_id and self.activity_id:
            from ..activity_access import is_program_person

            if not is_program_person(self.activity.cycle.program_id, self.user_id):
                raise ValidationError(
                    {"user": _("Only students and mentors of the program can be invited.")}
                )


class RegistrationStatus(models.TextChoices):
    GOING = "going", _("Going")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Not going")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Registration(models.Model):
    """A person's answer to an invitation, then their attendance and rating."""

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("activity")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activity_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    # Place on the waiting list; only waitlisted registrations have one.
    position = models.PositiveIntegerField(_("waiting list position"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True
    )
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance taken by"),
    )
    attendance_at = models.DateTimeField(_("attendance taken"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["activity", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"],
                name="registration_unique_person",
                violation_error_message=_("This person has already answered."),
            ),
            models.CheckConstraint(
                condition=(Q(status="waitlisted") & Q(position__isnull=False))
                | (~Q(status="waitlisted") & Q(position__isnull=True)),
                name="registration_position_iff_waitlisted",
            ),
            models.UniqueConstraint(
                fields=["activity", "position"],
                condition=Q(position__isnull=False),
                name="registration_unique_position",
            ),
            models.CheckConstraint(
                condition=Q(attendance__in=["", *Attendance.values]),
                name="registration_attendance_valid",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | (Q(attendance="present") & Q(rating__gte=1) & Q(rating__lte=5)),
                name="registration_rating_by_present_1_to_5",
                violation_error_message=_("Only people who were present rate, from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_status_display()} · {self.activity}"


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL; resetting it kills the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("person"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
