"""Internship and job recommendations a mentor posts to their mentees or group."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.dates import date_range_constraint, validate_date_in_range
from programs.models import Cycle

from .groups import Group
from .participation import Enrollment
from .people import MentorProfile


class OpportunityKind(models.TextChoices):
    INTERNSHIP = "internship", _("Internship")
    JOB = "job", _("Job")


class RecipientStatus(models.TextChoices):
    NEW = "new", _("New")
    INTERESTED = "interested", _("Interested")
    APPLIED = "applied", _("Applied")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    DECLINED = "declined", _("Declined")


class Opportunity(models.Model):
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("cycle")
    )
    author = models.ForeignKey(
        MentorProfile,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("posted by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OpportunityKind.choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    link = models.URLField(_("link"), max_length=500)
    deadline = models.DateField(
        _("application deadline"), null=True, blank=True, validators=[validate_date_in_range]
    )
    note = models.TextField(_("note"), blank=True)
    # The group it was sent to, if any: recipients are fixed when posting.
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("sent to group"),
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-created_at", "-pk"]
        constraints = [date_range_constraint("deadline", name="opportunity_deadline_in_range")]

    def __str__(self):
        return f"{self.role} · {self.organisation}"


class OpportunityRecipient(models.Model):
    """One student an opportunity was sent to, and how far they got with it."""

    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("opportunity"),
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("student"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RecipientStatus.choices, default=RecipientStatus.NEW
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["opportunity", "enrollment"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "enrollment"],
                name="opportunityrecipient_unique",
                violation_error_message=_("The opportunity was already sent to this student."),
            )
        ]

    def __str__(self):
        return f"{self.opportunity} · {self.enrollment}"
