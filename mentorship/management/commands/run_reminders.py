from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.reminders import run_reminders
from programs.tasks_util import requeue_pending


class Command(BaseCommand):
    help = _("Run one reminder sweep and send the due reminders now.")

    def handle(self, *args, **options):
        now = timezone.now()
        # Also what the site could not queue while the broker was down.
        requeued = requeue_pending(now=now)
        lease = timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
        counts = run_reminders(now=now, lease=lease)
        self.stdout.write(
            "due={due} new={new} items={items} sent={sent} busy={busy}".format(**counts)
            + f" requeued={requeued}"
        )
