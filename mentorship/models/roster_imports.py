from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Program

from .participation import RosterRole


class RosterImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PREVIEW_READY = "preview_ready", _("Preview ready")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RosterImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Imports ``user`` may follow: their own, and those into a program
        they coordinate (all of them for a superuser)."""
        if user.is_superuser:
            return self
        return self.filter(
            Q(created_by=user) | Q(programs__in=Program.objects.coordinated_by(user))
        ).distinct()


class RosterImport(models.Model):
    """A roster file too long to import within a request, previewed and then
    imported by a background task (mentorship.roster_imports). The file is
    kept here, so the worker needs no shared disk and the confirm step reads
    exactly the bytes the preview read."""

    kind = models.CharField(_("roster"), max_length=10, choices=RosterRole.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="roster_imports",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    # Last sign of life of the step running (mentorship.roster_imports.STALE).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("file format"), max_length=10)
    data = models.BinaryField(_("file"))
    data_sha256 = models.CharField(max_length=64)
    # Filled by the preview: the programs the file puts people in (whose
    # coordinators may follow the import) and a fingerprint of everything
    # stored that its checks read, which the confirm step must find again.
    programs = models.ManyToManyField(Program, blank=True, related_name="roster_imports")
    state_digest = models.CharField(max_length=64, blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RosterImportStatus.choices,
        default=RosterImportStatus.QUEUED,
    )
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    # What the page shows once a step ends: counts and every error, as the
    # import page lists them (mentorship.roster_imports.outcome_of).
    outcome = models.JSONField(default=dict, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RosterImportStatus.values),
                name="rosterimport_status_known",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RosterRole.values), name="rosterimport_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")),
                name="rosterimport_progress_within_total",
            ),
        ]

    def __str__(self):
        return self.file_name

    @property
    def is_working(self):
        return self.status in (RosterImportStatus.QUEUED, RosterImportStatus.RUNNING)
