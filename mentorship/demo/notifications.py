"""Demo notifications: the ledger as the demo's people would find it.

Runs after every other demo seeder. One sweep records the reminders the demo
data makes due (deliverables, meeting gaps, meetings to confirm, reviews
waiting, activities, preference deadlines), beside the events the other
seeders recorded. Everyone but the four demo logins is taken to have had
their digests already, so a first ``run_reminders`` mails only the demo
mentor and student (to the console by default) and nobody else.
"""

from collections import Counter

from ..models import Notification
from ..reminders import sweep
from .plan import LOGINS


def seed_notifications(*, plan, now):
    counts = sweep(now=now)
    Notification.objects.filter(sent_at__isnull=True).exclude(
        recipient__email__in=list(LOGINS)
    ).update(sent_at=now)
    return Counter({Notification: counts["new"]})
