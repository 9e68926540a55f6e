"""The in-app notification centre: a person's own ledger rows, read or not.

Rows come from mentorship.reminders (sweeps and ``notify``); here they are
only listed and marked read. Nobody sees another person's notifications, staff
included: a notification is a message, not a record to administer.
"""

from django.http import Http404

from .models import Notification


def visible(user):
    """``user``'s notifications, less reminders dropped as obsolete before
    they were sent (they were never true when the person could read them)."""
    return Notification.objects.filter(recipient=user, obsolete_at__isnull=True)


def get_notification_for_user(user, pk, *, write=False):
    """The notification ``pk`` if ``user`` is its recipient; Http404 otherwise.

    ``write`` is accepted for the helpers' common signature: the recipient may
    both read and mark their own notifications.
    """
    if not user.is_authenticated:
        raise Http404
    try:
        return Notification.objects.get(pk=pk, recipient=user)
    except Notification.DoesNotExist:
        raise Http404 from None


def unread_count(user):
    """Unread notifications of a signed-in ``user``, in one query."""
    return visible(user).filter(read_at__isnull=True).count()


def mark_read(*, notification, now):
    """Mark one notification read at ``now`` (aware); a second call keeps the first time."""
    if notification.read_at is None:
        notification.read_at = now
        notification.save(update_fields=["read_at"])


def mark_all_read(*, user, now):
    """Mark every unread notification of ``user`` read at ``now``; returns how many."""
    return visible(user).filter(read_at__isnull=True).update(read_at=now)
