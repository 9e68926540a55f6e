"""Who may see and change meetings in the browser. Coordinators and steering
members see meetings of their programs in the admin (``admin``), not here."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from mentorship.roles import MENTOR, STUDENT, user_roles

from .models import Meeting, MeetingParticipant


def get_meeting_for_user(user, pk, *, write=False):
    """Meeting ``pk`` with its cycle, program and author, for its author or a
    student participant; 404 for anyone else. With ``write`` (changing the
    meeting) only the author passes; a participant gets 403."""
    roles = user_roles(user)
    if not roles & {MENTOR, STUDENT}:
        raise PermissionDenied
    meetings = Meeting.objects.filter(
        Q(author__user=user) | Q(participants__student__user=user)
    ).select_related("cycle__program", "author__user", "group")
    meeting = get_object_or_404(meetings.distinct(), pk=pk)
    if write and meeting.author.user_id != user.pk:
        raise PermissionDenied
    return meeting


def get_participation_for_user(user, pk, *, write=False):
    """The signed-in student's participation in meeting ``pk``: 403 without
    the student role, 404 when they are not in the meeting. ``write`` (an
    answer) asks nothing more: the service checks the stage."""
    if STUDENT not in user_roles(user):
        raise PermissionDenied
    participations = MeetingParticipant.objects.select_related(
        "meeting__cycle__program", "meeting__author__user", "student__user"
    )
    return get_object_or_404(participations, meeting=pk, student__user=user)
