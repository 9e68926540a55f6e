"""Activity pages: who gets in, and what valid and invalid POSTs do."""

import datetime
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.activities import rsvp
from sessions_app.models import Activity, ActivityInvitation, Registration
from tests import factories as f

from .activity_world import invited_student, salon  # noqa: F401

pytestmark = pytest.mark.django_db


def url(name, activity=None):
    return reverse(name, args=[activity.pk] if activity else [])


def get_status(client, user, path):
    client.force_login(user)
    return client.get(path).status_code


@pytest.mark.parametrize("name", ["activity_detail", "activity_attendance"])
def test_anonymous_goes_to_login(client, salon, name):  # noqa: F811
    response = client.get(url(name, salon.activity))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["activity_list", "activity_create", "calendar"])
def test_anonymous_goes_to_login_on_own_pages(client, name):
    response = client.get(url(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_detail_roles(client, world, salon):  # noqa: F811
    detail = url("activity_detail", salon.activity)
    for persona in ("student", "mentor", "coordinator", "steering"):
        assert get_status(client, getattr(world, persona), detail) == 200, persona
    assert get_status(client, salon.coach, detail) == 200
    for persona in ("other_student", "other_mentor", "other_coordinator"):
        assert get_status(client, getattr(world, persona), detail) == 404, persona


def test_attendance_roles(client, world, salon):  # noqa: F811
    page = url("activity_attendance", salon.activity)
    for user in (world.mentor, world.coordinator):
        assert get_status(client, user, page) == 200
    for user in (world.student, world.steering, salon.coach):
        assert get_status(client, user, page) == 403
    for user in (world.other_student, world.other_mentor, world.other_coordinator):
        assert get_status(client, user, page) == 404


def test_create_roles(client, world, salon):  # noqa: F811
    page = url("activity_create")
    assert get_status(client, world.mentor, page) == 200
    for user in (world.student, salon.coach, world.coordinator):
        assert get_status(client, user, page) == 403


def test_list_shows_own_activities_only(client, world, salon):  # noqa: F811
    foreign = f.ActivityFactory(cycle=world.other_cycle, title="Foreign visit")
    f.ActivityInvitationFactory(activity=foreign, user=world.other_student)
    client.force_login(world.student)
    response = client.get(url("activity_list"))
    assert "Finance salon" in response.text and "Foreign visit" not in response.text
    assert "I'm going" in response.text


def test_rsvp_post_only_and_redirects_back(client, world, salon):  # noqa: F811
    client.force_login(world.student)
    rsvp_url = url("activity_rsvp", salon.activity)
    assert client.get(rsvp_url).status_code == 405
    response = client.post(rsvp_url, {"going": "1", "next": "/student/"})
    assert response["Location"] == "/student/"
    assert Registration.objects.get(user=world.student).status == "going"
    # An outside "next" is not followed.
    response = client.post(rsvp_url, {"going": "0", "next": "https://evil.example/"})
    assert response["Location"] == url("activity_detail", salon.activity)
    assert Registration.objects.get(user=world.student).status == "cancelled"


@pytest.mark.parametrize("target", ["\u00b2", "activity_list", "evil.example", "//evil.example/"])
def test_rsvp_next_not_a_path_goes_to_the_activity(client, world, salon, target):  # noqa: F811
    # Not followed, and not taken for a URL name either (an unknown one was a 500).
    client.force_login(world.student)
    response = client.post(url("activity_rsvp", salon.activity), {"going": "1", "next": target})
    assert response["Location"] == url("activity_detail", salon.activity)


def test_rsvp_bad_input_changes_nothing(client, world, salon):  # noqa: F811
    client.force_login(world.student)
    response = client.post(url("activity_rsvp", salon.activity), {"going": "maybe"}, follow=True)
    assert "Choose whether you are going." in response.text
    assert not Registration.objects.exists()


def test_rsvp_by_steering_viewer_is_forbidden_and_outsider_404(client, world, salon):  # noqa: F811
    client.force_login(world.steering)
    assert client.post(url("activity_rsvp", salon.activity), {"going": "1"}).status_code == 403
    client.force_login(world.other_student)
    assert client.post(url("activity_rsvp", salon.activity), {"going": "1"}).status_code == 404
    assert not Registration.objects.exists()


def _started(activity, *, ended=False):
    now = timezone.now()
    activity.starts_at = now - datetime.timedelta(hours=3 if ended else 0, minutes=10)
    activity.ends_at = (
        now - datetime.timedelta(hours=1) if ended else now + datetime.timedelta(hours=1)
    )
    activity.save()


def test_attendance_is_saved_in_one_post(client, world, salon):  # noqa: F811
    activity = salon.activity
    extra = invited_student(world, activity)
    mine = rsvp(activity=activity, user=world.student, going=True)
    theirs = rsvp(activity=activity, user=extra, going=True)
    _started(activity)
    client.force_login(world.mentor)
    page = url("activity_attendance", activity)
    assert "Stu Student" in client.get(page).text
    response = client.post(page, {f"mark_{mine.pk}": "present", f"mark_{theirs.pk}": "excused"})
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.attendance, theirs.attendance) == ("present", "excused")
    assert mine.attendance_by == world.mentor


def test_attendance_bad_value_changes_nothing(client, world, salon):  # noqa: F811
    activity = salon.activity
    mine = rsvp(activity=activity, user=world.student, going=True)
    other = rsvp(activity=activity, user=salon.coach, going=True)
    _started(activity)
    client.force_login(world.coordinator)
    response = client.post(
        url("activity_attendance", activity),
        {f"mark_{mine.pk}": "present", f"mark_{other.pk}": "asleep"},
    )
    assert response.status_code == 400
    assert "Choose present, excused or absent." in response.text
    assert set(Registration.objects.values_list("attendance", flat=True)) == {""}


@pytest.mark.parametrize("key", ["mark_\u00b2", "mark_" + "9" * 5000, "mark_", "mark_-1"])
def test_attendance_key_without_a_valid_id_is_ignored(client, world, salon, key):  # noqa: F811
    activity = salon.activity
    mine = rsvp(activity=activity, user=world.student, going=True)
    _started(activity)
    client.force_login(world.mentor)
    # URL-encoded: a multipart field name this long is refused before any view.
    response = client.post(
        url("activity_attendance", activity),
        urlencode({key: "present", f"mark_{mine.pk}": "absent"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.attendance == "absent"


def test_attendance_not_open_long_before_the_start(client, world, salon):  # noqa: F811
    mine = rsvp(activity=salon.activity, user=world.student, going=True)
    client.force_login(world.mentor)
    page = url("activity_attendance", salon.activity)
    assert "from one hour before the start" in client.get(page).text
    assert client.post(page, {f"mark_{mine.pk}": "present"}).status_code == 400
    mine.refresh_from_db()
    assert mine.attendance == ""


def test_attendance_post_by_student_is_forbidden(client, world, salon):  # noqa: F811
    mine = rsvp(activity=salon.activity, user=world.student, going=True)
    _started(salon.activity)
    client.force_login(world.student)
    page = url("activity_attendance", salon.activity)
    assert client.post(page, {f"mark_{mine.pk}": "present"}).status_code == 403
    mine.refresh_from_db()
    assert mine.attendance == ""


def test_create_activity_for_my_group(client, world, salon):  # noqa: F811
    guest = f.GuestFactory(program=world.program, name="Grace Guest")
    client.force_login(world.mentor)
    response = client.post(
        url("activity_create"),
        {
            "group": world.team.pk,
            "kind": "company_visit",
            "title": "Visit to the bank",
            "starts_at": "2030-05-04T09:00",
            "ends_at": "2030-05-04T12:00",
            "place": "Bank HQ",
            "capacity": "10",
            "guests": [guest.pk],
            "invite_group": "on",
        },
    )
    activity = Activity.objects.get(title="Visit to the bank")
    assert response["Location"] == url("activity_detail", activity)
    assert activity.cycle == world.cycle and activity.created_by == world.mentor
    assert list(activity.guests.all()) == [guest]
    assert ActivityInvitation.objects.filter(activity=activity, group=world.team).exists()


def test_create_activity_bad_input(client, world, salon):  # noqa: F811
    foreign_group = f.GroupFactory(cycle=world.other_cycle)
    foreign_guest = f.GuestFactory(program=world.other_program)
    client.force_login(world.mentor)
    data = {
        "group": world.team.pk,
        "kind": "training",
        "title": "Backwards",
        "starts_at": "2030-05-04T12:00",
        "ends_at": "2030-05-04T09:00",
    }
    response = client.post(url("activity_create"), data)
    assert response.status_code == 200
    assert "An activity must end after it starts." in response.text
    response = client.post(
        url("activity_create"),
        {**data, "group": foreign_group.pk, "guests": [foreign_guest.pk]},
    )
    assert "Select a valid choice" in response.text
    assert not Activity.objects.filter(title="Backwards").exists()


@pytest.mark.parametrize("year", ["1999", "9999"])
def test_create_activity_in_an_impossible_year_is_refused(client, world, salon, year):  # noqa: F811
    client.force_login(world.mentor)
    data = {
        "group": world.team.pk,
        "kind": "training",
        "title": "Far away",
        "starts_at": f"{year}-12-31T09:00",
        "ends_at": f"{year}-12-31T12:00",
    }
    response = client.post(url("activity_create"), data)
    assert response.status_code == 200
    assert "Enter a date from the year 2000 to the year 2099." in response.text
    assert not Activity.objects.filter(title="Far away").exists()


def test_rating_rules(client, world, salon):  # noqa: F811
    activity = salon.activity
    mine = rsvp(activity=activity, user=world.student, going=True)
    absent = rsvp(activity=activity, user=salon.coach, going=True)
    _started(activity)
    Registration.objects.filter(pk=mine.pk).update(attendance="present")
    Registration.objects.filter(pk=absent.pk).update(attendance="absent")
    rate_url = url("activity_rate", activity)

    client.force_login(world.student)
    response = client.post(rate_url, {"rating": "5"}, follow=True)
    assert "Only participants who were present rate" in response.text  # not ended yet

    _started(activity, ended=True)
    assert "How was it?" in client.get(url("activity_detail", activity)).text
    response = client.post(rate_url, {"rating": "9"}, follow=True)
    assert "Choose a rating from 1 to 5." in response.text
    client.post(rate_url, {"rating": "4", "comment": " Useful "})
    client.post(rate_url, {"rating": "5", "comment": "Even better"})
    mine.refresh_from_db()
    assert (mine.rating, mine.comment) == (5, "Even better")
    assert Registration.objects.filter(rating__isnull=False).count() == 1

    client.force_login(salon.coach)
    response = client.post(rate_url, {"rating": "1"}, follow=True)
    assert "Only participants who were present rate" in response.text
    absent.refresh_from_db()
    assert absent.rating is None


def test_marking_a_rater_absent_removes_the_rating(world, salon):  # noqa: F811
    from sessions_app.activities import take_attendance

    activity = salon.activity
    mine = rsvp(activity=activity, user=world.student, going=True)
    _started(activity, ended=True)
    Registration.objects.filter(pk=mine.pk).update(attendance="present", rating=4)
    take_attendance(activity=activity, by=world.coordinator, marks={mine.pk: "absent"})
    mine.refresh_from_db()
    assert (mine.attendance, mine.rating) == ("absent", None)


def test_rsvp_and_rating_are_posts_by_people_who_see_the_activity(client, world, salon):  # noqa: F811
    for name in ("activity_rsvp", "activity_rate"):
        response = client.post(url(name, salon.activity), {"going": "1", "rating": "5"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world.student)
    assert client.get(url("activity_rate", salon.activity)).status_code == 405
    client.force_login(world.other_student)
    assert client.post(url("activity_rate", salon.activity), {"rating": "5"}).status_code == 404
