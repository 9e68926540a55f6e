"""Giving up a place at a full activity asks first (programs.confirmation):
the place goes at once to the first person waiting, or to whoever asks next,
and the person may not get it back. A place at an activity with room left is
given up at once: taking it again is one click."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.confirmation import Confirmation, Consequence

from .models import Activity, Registration, RegistrationStatus


def cancel_confirmation(*, activity, user, back_url, next_url=""):
    """The confirmation of ``user`` giving up their place at ``activity``, or
    None when nothing needs asking (no place held, or places are left)."""
    holds = Registration.objects.filter(
        activity=activity, user=user, status=RegistrationStatus.GOING
    ).exists()
    if not holds or activity.capacity is None:
        return None
    counts = Activity.objects.filter(pk=activity.pk).aggregate(
        going=Count("registrations", filter=Q(registrations__status=RegistrationStatus.GOING)),
        waiting=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )
    if counts["going"] < activity.capacity:
        return None
    waiting = counts["waiting"]
    if waiting:
        gone = ngettext(
            "Your place goes at once to the %(count)s person on the waiting list, who is "
            "told by e-mail.",
            "Your place goes at once to the first of the %(count)s people on the waiting "
            "list, who is told by e-mail.",
            waiting,
        ) % {"count": waiting}
        back = _(
            "If you change your mind, you join the end of the waiting list: you may not "
            "get a place again."
        )
    else:
        gone = _("The activity is full: anyone invited can take your place.")
        back = _("If someone takes it, you may not get a place again.")
    return Confirmation(
        title=_("Cancel my place at %(title)s") % {"title": activity.title},
        consequences=[Consequence(gone, warning=True), Consequence(back)],
        submit_label=_("Yes, give up my place"),
        back_url=back_url,
        hidden={"going": "0", "next": next_url},
    )
