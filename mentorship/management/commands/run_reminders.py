from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.reminders import run_reminders


class Command(BaseCommand):
    help = _("Run one reminder sweep and send the due reminders now.")

    def handle(self, *args, **options):
        lease = timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
        counts = run_reminders(now=timezone.now(), lease=lease)
        self.stdout.write("due={due} new={new} items={items} sent={sent}".format(**counts))
