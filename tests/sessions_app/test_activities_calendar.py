"""The private calendar feed: its page, its content and its reset."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from sessions_app.activities import rsvp
from sessions_app.calendar_feed import token_for
from sessions_app.models import CalendarToken
from tests import factories as f

from .activity_world import invited_student, salon  # noqa: F401

pytestmark = pytest.mark.django_db


def feed(client, token):
    return client.get(reverse("calendar_feed", args=[token]))


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_calendar_page_shows_a_private_url(client, world):
    client.force_login(world.student)
    response = client.get(reverse("calendar"))
    token = CalendarToken.objects.get(user=world.student).token
    assert f"/calendar/{token}.ics" in response.text
    # Showing the page again keeps the address.
    client.get(reverse("calendar"))
    assert CalendarToken.objects.get(user=world.student).token == token


def test_feed_has_going_and_waitlisted_activities_only(client, world, salon):  # noqa: F811
    activity = salon.activity
    activity.capacity = 1
    activity.save()
    full = f.ActivityFactory(cycle=world.cycle, title="Full dinner", capacity=1)
    f.ActivityInvitationFactory(activity=full, group=world.team)
    declined = f.ActivityFactory(cycle=world.cycle, title="Declined training")
    f.ActivityInvitationFactory(activity=declined, group=world.team)
    uninvited = f.ActivityFactory(cycle=world.cycle, title="Not mine")
    rsvp(activity=activity, user=world.student, going=True)
    rsvp(activity=full, user=world.mentor, going=True)
    rsvp(activity=full, user=world.student, going=True)
    rsvp(activity=declined, user=world.student, going=False)

    response = feed(client, token_for(world.student).token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    # Fetched without a session (the token is the key), and still never cached.
    assert response["Cache-Control"] == "private, no-store"
    found = events(response)
    assert set(found) == {"Finance salon", "Full dinner (waiting list)"}
    salon_event = found["Finance salon"]
    assert salon_event["status"] == "CONFIRMED"
    assert salon_event.decoded("dtstart") == activity.starts_at.replace(microsecond=0)
    assert salon_event.decoded("dtend") == activity.ends_at.replace(microsecond=0)
    assert str(salon_event["location"]) == "Room 101"
    assert f"/activities/{activity.pk}/" in str(salon_event["url"])
    assert found["Full dinner (waiting list)"]["status"] == "TENTATIVE"
    assert uninvited.title not in response.text


def test_feed_escapes_text(client, world, salon):  # noqa: F811
    activity = salon.activity
    activity.title = "Salon; wine, cheese"
    activity.place = "Room 1, Building A; floor 2"
    activity.description = "Line one\nLine two, with comma"
    activity.save()
    rsvp(activity=activity, user=world.student, going=True)
    response = feed(client, token_for(world.student).token)
    raw = response.content.decode()
    assert "SUMMARY:Salon\\; wine\\, cheese" in raw
    assert "LOCATION:Room 1\\, Building A\\; floor 2" in raw
    assert "Line one\\nLine two\\, with comma" in raw.replace("\r\n ", "")
    event = events(response)["Salon; wine, cheese"]
    assert str(event["description"]).startswith("Line one\nLine two, with comma")


def test_bad_token_is_404_and_reset_invalidates_the_old_url(client, world, salon):  # noqa: F811
    assert feed(client, "not-a-token").status_code == 404
    old = token_for(world.student).token
    assert feed(client, old).status_code == 200
    client.force_login(world.student)
    assert client.get(reverse("calendar_reset")).status_code == 405
    response = client.post(reverse("calendar_reset"))
    assert response["Location"] == reverse("calendar")
    new = CalendarToken.objects.get(user=world.student).token
    assert new != old
    client.logout()
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200


def test_feed_of_a_deactivated_person_is_gone(client, world):
    token = token_for(world.student).token
    world.student.is_active = False
    world.student.save()
    assert feed(client, token).status_code == 404


def test_reset_needs_login(client):
    response = client.post(reverse("calendar_reset"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_extra_event_sources_are_one_provider(client, world, monkeypatch):
    from icalendar import Event

    from sessions_app import calendar_feed

    def meetings(user, *, base_url):
        event = Event()
        event.add("uid", "meeting-1@test")
        event.add("summary", f"Meeting of {user.full_name}")
        yield event

    monkeypatch.setattr(calendar_feed, "PROVIDERS", [*calendar_feed.PROVIDERS, meetings])
    found = events(feed(client, token_for(world.student).token))
    assert list(found) == ["Meeting of Stu Student"]


def test_feed_has_the_meetings_of_mentor_and_student_but_not_disputed_ones(client, world):
    mentor = world.mentor.mentor_profile
    student = world.student.student_profile
    kept = f.MeetingFactory(cycle=world.cycle, author=mentor, mode="phone")
    f.MeetingParticipantFactory(meeting=kept, student=student, status="confirmed")
    disputed = f.MeetingFactory(cycle=world.cycle, author=mentor, mode="video")
    f.MeetingParticipantFactory(meeting=disputed, student=student, status="disputed")

    mine = events(feed(client, token_for(world.mentor).token))
    assert set(mine) == {
        "Meeting with Max Mentor (Phone call)",
        "Meeting with Max Mentor (Video call)",
    }
    event = mine["Meeting with Max Mentor (Phone call)"]
    assert event["dtend"].dt - event["dtstart"].dt == datetime.timedelta(minutes=45)
    assert "Draft a career plan." in str(event["description"])

    theirs = events(feed(client, token_for(world.student).token))
    assert set(theirs) == {"Meeting with Max Mentor (Phone call)"}
    assert not events(feed(client, token_for(world.other_student).token))


def test_feed_query_count_does_not_grow(client, world, salon):  # noqa: F811
    token = token_for(world.student).token

    def grow(size):
        for _ in range(size):
            activity = f.ActivityFactory(cycle=world.cycle, group=world.team)
            f.ActivityInvitationFactory(activity=activity, group=world.team)
            rsvp(activity=activity, user=world.student, going=True)
            meeting = f.MeetingFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
            f.MeetingParticipantFactory(
                meeting=meeting, student=world.student.student_profile, status="confirmed"
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert feed(client, token).status_code == 200
        return len(queries)

    grow(1)
    small = count()
    grow(5)
    assert count() == small
    assert len(Calendar.from_ical(feed(client, token).content).walk("VEVENT")) == 12
