"""Activity lists cost the same number of queries however much they show."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app.activities import rsvp
from sessions_app.models import Registration
from tests import factories as f

from .activity_world import salon  # noqa: F401

pytestmark = pytest.mark.django_db


def grow(world, size):
    """``size`` more activities of the team, past and upcoming, with answers and guests."""
    now = timezone.now()
    for i in range(size):
        for offset in (-10 - i, 3 + i):
            activity = f.ActivityFactory(
                cycle=world.cycle,
                group=world.team,
                capacity=1,
                starts_at=now + datetime.timedelta(days=offset),
            )
            f.ActivityInvitationFactory(activity=activity, group=world.team)
            f.ActivityInvitationFactory(activity=activity, user=world.student)
            activity.guests.add(f.GuestFactory(program=world.program))
            f.RegistrationFactory(activity=activity, user=world.mentor)
            f.RegistrationFactory(
                activity=activity, user=world.student, status="waitlisted", position=1
            )
            f.RegistrationFactory(activity=activity, status="cancelled")
        # Not the personas': never shown, never counted.
        f.ActivityFactory(cycle=world.other_cycle)


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def assert_constant(client, url, grow_by):
    """The page at ``url`` costs as much after ``grow_by(1)`` as after ``grow_by(5)`` more."""
    grow_by(1)
    small = count(client, url)
    grow_by(5)
    assert count(client, url) == small


@pytest.mark.parametrize(
    "persona, name",
    [
        ("student", "activity_list"),
        ("mentor", "activity_list"),
        ("student", "student_home"),
        ("mentor", "mentor_home"),
    ],
)
def test_lists_and_homes_do_not_grow(client, world, persona, name):
    client.force_login(getattr(world, persona))
    assert_constant(client, reverse(name), lambda size: grow(world, size))


def test_home_shows_upcoming_activities_with_my_answer(client, world, salon):  # noqa: F811
    rsvp(activity=salon.activity, user=world.student, going=True)
    client.force_login(world.student)
    response = client.get(reverse("student_home"))
    assert "Upcoming activities" in response.text
    assert "Finance salon" in response.text and "Cancel my place" in response.text


def _attendees(activity, size):
    for _ in range(size):
        Registration.objects.create(activity=activity, user=f.UserFactory(), status="going")


def test_attendance_and_detail_do_not_grow(client, world, salon):  # noqa: F811
    activity = salon.activity
    activity.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    activity.save()
    client.force_login(world.mentor)
    for name in ("activity_attendance", "activity_detail"):
        assert_constant(
            client, reverse(name, args=[activity.pk]), lambda size: _attendees(activity, size)
        )


def test_admin_changelist_does_not_grow(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:sessions_app_activity_changelist")
    assert_constant(client, url, lambda size: grow(world, size))


def test_admin_is_scoped_to_the_coordinators_programs(client, world, salon):  # noqa: F811
    foreign = f.ActivityFactory(cycle=world.other_cycle, title="Foreign visit")
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:sessions_app_activity_changelist"))
    assert "Finance salon" in response.text and "Foreign visit" not in response.text
    change = reverse("admin:sessions_app_activity_change", args=[foreign.pk])
    assert client.get(change).status_code in (302, 404)
    mine = reverse("admin:sessions_app_activity_change", args=[salon.activity.pk])
    assert client.get(mine).status_code == 200


def test_admin_changelist_counts_who_is_going_per_activity(client, world):
    busy, quiet = (f.ActivityFactory(cycle=world.cycle, title=t) for t in ("Busy", "Quiet"))
    for status in ("going", "going", "declined"):
        f.RegistrationFactory(activity=busy, status=status)
    client.force_login(world.coordinator)
    rows = client.get(reverse("admin:sessions_app_activity_changelist")).context["cl"].result_list
    going = {activity.title: activity.going_count for activity in rows}
    assert (going["Busy"], going["Quiet"]) == (2, 0)
