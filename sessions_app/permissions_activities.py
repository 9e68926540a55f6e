"""Access to one activity: 404 for outsiders, 403 for a viewer without the right."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .activity_access import is_organiser, visible_activities


def get_activity_for_user(user, pk, *, write=False):
    """Activity ``pk`` with its cycle, program and organising group, if ``user``
    may see it (invited, answered, organising, or staff of the program); else 404.
    With ``write`` (attendance, changes) only organisers pass: a coordinator of
    the program or a chief or leading coach of the organising group; other
    viewers get 403."""
    activity = get_object_or_404(
        visible_activities(user).select_related("cycle__program", "group"), pk=pk
    )
    if write and not is_organiser(activity, user):
        raise PermissionDenied
    return activity
