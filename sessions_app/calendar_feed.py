"""A person's private calendar feed (ICS): one event source per provider.

A provider takes the user and returns ``icalendar.Event`` objects; adding a
kind of event is one function appended to ``PROVIDERS``: activities and
meetings today.
"""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import (
    CalendarToken,
    Meeting,
    MeetingParticipant,
    ParticipantStatus,
    Registration,
    RegistrationStatus,
)

UID_DOMAIN = "mentor-programs"


def _utc(moment):
    return moment.astimezone(datetime.UTC)


def activity_events(user, *, base_url):
    """Activities ``user`` is going to or waiting for."""
    registrations = Registration.objects.filter(
        user=user, status__in=[RegistrationStatus.GOING, RegistrationStatus.WAITLISTED]
    ).select_related("activity")
    for registration in registrations:
        activity = registration.activity
        waiting = registration.status == RegistrationStatus.WAITLISTED
        event = Event()
        event.add("uid", f"activity-{activity.pk}@{UID_DOMAIN}")
        event.add("dtstamp", _utc(activity.updated_at))
        event.add("last-modified", _utc(activity.updated_at))
        event.add("dtstart", _utc(activity.starts_at))
        event.add("dtend", _utc(activity.ends_at))
        summary = activity.title
        if waiting:
            summary = _("%(title)s (waiting list)") % {"title": activity.title}
        event.add("summary", summary)
        event.add("status", "TENTATIVE" if waiting else "CONFIRMED")
        if activity.place:
            event.add("location", activity.place)
        page = base_url + reverse("activity_detail", args=[activity.pk])
        event.add("url", page)
        event.add(
            "description",
            "\n\n".join(part for part in (activity.description, activity.link, page) if part),
        )
        yield event


def meeting_events(user, *, base_url):
    """Meetings ``user`` logged as a mentor or took part in as a student
    (disputed ones stay out: the student says they did not happen so)."""
    # A UNION of two indexed id sets: an OR across the participants join
    # read every meeting and participant of every cycle.
    taking_part = MeetingParticipant.objects.filter(
        student__user=user,
        status__in=[ParticipantStatus.PENDING, ParticipantStatus.CONFIRMED],
    ).values("meeting")
    mine = Meeting.objects.filter(author__user=user).values("pk").union(taking_part)
    meetings = Meeting.objects.filter(pk__in=mine).select_related("author__user")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
        event.add("dtstamp", _utc(meeting.updated_at))
        event.add("last-modified", _utc(meeting.updated_at))
        event.add("dtstart", _utc(meeting.starts_at))
        event.add(
            "dtend", _utc(meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes))
        )
        event.add(
            "summary",
            _("Meeting with %(mentor)s (%(mode)s)")
            % {"mentor": meeting.author.user, "mode": meeting.get_mode_display()},
        )
        if meeting.author.user_id == user.pk:
            page = base_url + reverse("mentor_meeting", args=[meeting.pk])
        else:
            page = base_url + reverse("student_meetings")
        event.add("url", page)
        event.add(
            "description", "\n\n".join(p for p in (meeting.summary, meeting.next_steps, page) if p)
        )
        yield event


PROVIDERS = [activity_events, meeting_events]


def build_calendar(user, *, base_url):
    """The feed of ``user``, in their language, as ICS bytes."""
    calendar = Calendar()
    calendar.add("prodid", "-//Mentor programs//Calendar feed//EN")
    calendar.add("version", "2.0")
    # Calendar apps poll a subscribed feed; ask for hourly refreshes.
    calendar.add("x-published-ttl", "PT1H")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        calendar.add("x-wr-calname", _("Mentor programs: %(name)s") % {"name": user})
        for provider in PROVIDERS:
            for event in provider(user, base_url=base_url):
                calendar.add_component(event)
    return calendar.to_ical()


def _new_token():
    return secrets.token_urlsafe(32)


def token_for(user):
    """``user``'s feed token, made on first use."""
    token, _created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": _new_token()}
    )
    return token


def reset_token(*, user):
    """A new secret for ``user``'s feed: the old URL stops working at once."""
    with transaction.atomic():
        token = token_for(user)
        token.token = _new_token()
        token.save(update_fields=["token", "created_at"])
    return token
