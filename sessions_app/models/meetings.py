"""Meetings a mentor logs and each student participant confirms or disputes:
the communication record is built from the confirmed ones."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentorship.models import Group, MentorProfile, StudentProfile
from programs.dates import date_range_constraint, validate_date_in_range
from programs.models import Cycle

__all__ = ["Meeting", "MeetingMode", "MeetingParticipant", "MeetingTopic", "ParticipantStatus"]

MAX_DURATION_MINUTES = 24 * 60


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")
    MESSAGE = "message", _("Messages")


class MeetingTopic(models.TextChoices):
    CAREER_PLANNING = "career_planning", _("Career planning")
    INTERNSHIP = "internship", _("Internship")
    JOB_SEARCH = "job_search", _("Job search")
    THESIS = "thesis", _("Thesis")
    FURTHER_STUDY = "further_study", _("Further study")
    OTHER = "other", _("Other")


def validate_topics(value):
    """A non-empty list of distinct topic codes. A JSON list rather than an
    array column: the embedded default database is SQLite."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one topic."), code="required")
    unknown = [code for code in value if code not in MeetingTopic.values]
    if unknown or len(set(value)) != len(value):
        raise ValidationError(_("Choose topics from the list."), code="invalid_choice")


class Meeting(models.Model):
    """A conversation a mentor had with one or more students, as the mentor logged it."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("cycle")
    )
    author = models.ForeignKey(
        MentorProfile,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("mentor"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("group"),
        help_text=_("When the meeting was held with a group."),
    )
    starts_at = models.DateTimeField(_("date and time"), validators=[validate_date_in_range])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )
    mode = models.CharField(_("mode"), max_length=20, choices=MeetingMode.choices)
    topics = models.JSONField(_("topics"), default=list, validators=[validate_topics])
    summary = models.TextField(_("summary"))
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["cycle", "author", "-starts_at"]),
            # The admin's changelist, in this ordering, a page at a time.
            models.Index(fields=["-starts_at", "-id"], name="meeting_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1)
                & Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="meeting_duration_in_range",
                violation_error_message=_("A meeting lasts from one minute to one day."),
            ),
            models.CheckConstraint(
                condition=Q(mode__in=MeetingMode.values),
                name="meeting_mode_valid",
            ),
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="meeting_summary_present",
                violation_error_message=_("A meeting needs a summary."),
            ),
            date_range_constraint("starts_at", name="meeting_starts_at_in_range", timed=True),
        ]

    def __str__(self):
        return f"{self.author} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def topic_labels(self):
        # Plain strings in the current language: the join filter gives up on
        # lazy ones unescaped, and a plain-text e-mail then showed the list's repr.
        labels = dict(MeetingTopic.choices)
        return [str(labels.get(code, code)) for code in self.topics]


class ParticipantStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


class MeetingParticipant(models.Model):
    """A student in a meeting and their answer to the mentor's record of it."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("meeting"),
    )
    student = models.ForeignKey(
        StudentProfile,
        on_delete=models.PROTECT,
        related_name="meeting_participations",
        verbose_name=_("student"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.PENDING,
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "student__user__full_name"]
        indexes = [models.Index(fields=["student", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "student"],
                name="meetingparticipant_unique",
                violation_error_message=_("This student is already in the meeting."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ParticipantStatus.values),
                name="meetingparticipant_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(answered_at__isnull=True))
                | (~Q(status="pending") & Q(answered_at__isnull=False)),
                name="meetingparticipant_answered_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="disputed") | ~Q(comment=""),
                name="meetingparticipant_dispute_has_comment",
                violation_error_message=_("Say what is wrong when disputing a meeting."),
            ),
        ]

    def __str__(self):
        return f"{self.student} · {self.get_status_display()}"
