"""Giving up a place at a full activity asks first, without JavaScript: the
first POST answers a confirmation page saying where the place goes, and only
the confirmed POST gives it away."""

import pytest
from django.urls import reverse

from sessions_app.activities import rsvp
from sessions_app.models import Registration

from .activity_world import invited_student, salon  # noqa: F401

pytestmark = pytest.mark.django_db


def status(activity, user):
    return Registration.objects.get(activity=activity, user=user).status


@pytest.fixture
def full(world, salon):  # noqa: F811
    """One place, held by the student persona; one person waiting."""
    activity = salon.activity
    activity.capacity = 1
    activity.save()
    rsvp(activity=activity, user=world.student, going=True)
    waiting = invited_student(world, activity)
    rsvp(activity=activity, user=waiting, going=True)
    activity.waiting = waiting
    return activity


def rsvp_url(activity):
    return reverse("activity_rsvp", args=[activity.pk])


def test_cancel_asks_first_and_says_the_place_goes_to_the_waiting_list(client, world, full):
    client.force_login(world.student)
    response = client.post(rsvp_url(full), {"going": "0", "next": "/student/"})
    assert response.status_code == 200
    assert "Your place goes at once to the 1 person on the waiting list" in response.text
    assert "you may not get a place again" in response.text
    assert 'name="confirmed"' in response.text and 'value="/student/"' in response.text
    assert status(full, world.student) == "going"
    assert status(full, full.waiting) == "waitlisted"


def test_the_confirmed_post_gives_the_place_away(client, world, full):
    client.force_login(world.student)
    data = {"going": "0", "next": "/student/", "confirmed": "1"}
    response = client.post(rsvp_url(full), data)
    assert response.status_code == 302 and response.url == "/student/"
    assert status(full, world.student) == "cancelled"
    assert status(full, full.waiting) == "going"


def test_a_place_at_an_activity_with_room_left_is_given_up_at_once(client, world, salon):  # noqa: F811
    client.force_login(world.student)
    rsvp(activity=salon.activity, user=world.student, going=True)
    response = client.post(rsvp_url(salon.activity), {"going": "0"})
    assert response.status_code == 302
    assert status(salon.activity, world.student) == "cancelled"


def test_leaving_the_waiting_list_does_not_ask(client, world, full):
    client.force_login(full.waiting)
    assert client.post(rsvp_url(full), {"going": "0"}).status_code == 302
    assert status(full, full.waiting) == "cancelled"


def test_others_cannot_reach_the_confirmation(client, world, full):
    client.force_login(world.other_student)
    assert client.post(rsvp_url(full), {"going": "0"}).status_code == 404
    client.force_login(world.steering)
    assert client.post(rsvp_url(full), {"going": "0"}).status_code == 403
    client.logout()
    response = client.post(rsvp_url(full), {"going": "0", "confirmed": "1"})
    assert response.status_code == 302 and "login" in response.url
    assert status(full, world.student) == "going"
