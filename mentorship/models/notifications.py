"""The notification ledger: one row per thing a person is told about.

Reminders are computed from the database, never scheduled in the broker: a
sweep inserts the rows that are due (the unique constraint makes a second
sweep a no-op), a sender claims unsent rows under a lease and marks them sent.
See mentorship/reminders.py for the guarantees.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # A short code of the policy or event ("deliverable_due"); the registered
    # source of that kind knows how to compute it.
    kind = models.CharField(_("kind"), max_length=40)
    # The subject object by name ("assessments.requirement:12/enrollment:34"), not
    # by foreign key: later apps feed the ledger and mentorship cannot import them.
    subject_key = models.CharField(_("subject"), max_length=200)
    due_on = models.DateField(_("due on"))
    # Days before the subject's deadline (negative: days overdue).
    offset_days = models.IntegerField(_("offset in days"), default=0)
    # What to render later (title, text, url), not a rendered message: the
    # e-mail and the notification centre render it in the reader's language.
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # When it happened (an event) or was found due (a reminder); events set it
    # themselves, so history recorded after the fact keeps its own time.
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claim_token = models.UUIDField(_("claim token"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Set instead of sent_at when a reminder no longer held as it was about
    # to be sent (a meeting confirmed meanwhile): dropped, never mailed.
    obsolete_at = models.DateTimeField(_("obsolete since"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "due_on", "offset_days"],
                name="notification_once",
            )
        ]
        indexes = [
            # The sender's scan: only the (few) unsent rows.
            models.Index(
                fields=["claimed_at"],
                condition=Q(sent_at__isnull=True),
                name="notification_unsent",
            ),
            # A claim's rows (renewed, marked sent a chunk at a time, released):
            # without it each of those scanned every unsent row.
            models.Index(
                fields=["claim_token"],
                condition=Q(sent_at__isnull=True),
                name="notification_claimed",
            ),
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            # The ledger's changelist, newest first, a page at a time.
            models.Index(fields=["-created_at", "-id"], name="notification_newest"),
        ]

    def __str__(self):
        return f"{self.kind} · {self.subject_key} · {self.due_on}"
