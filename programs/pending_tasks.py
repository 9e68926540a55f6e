"""The ledger of background tasks owed: PendingTask.

A service that queues a task records it here in its own transaction, so the
database, not the broker, remembers what is owed (programs/tasks_util.py).
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingTask(models.Model):
    """A task queued by a service and not yet run to success."""

    # Also the Celery task id, so the finished task finds its row.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("task"), max_length=200)
    # Plain ids and flags, as the task takes them.
    arguments = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When the broker last took it; empty while it could not be queued.
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts to queue"), default=0)

    class Meta:
        verbose_name = _("pending background task")
        verbose_name_plural = _("pending background tasks")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.name} {self.arguments}"
