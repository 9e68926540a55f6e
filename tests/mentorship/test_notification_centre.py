"""The notification centre: the header count, the list, marking read, opening."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Notification

pytestmark = pytest.mark.django_db


def note(user, n=0, *, read=False, url="/student/", title="Career plan"):
    return Notification.objects.create(
        recipient=user,
        kind="test_event",
        subject_key=f"test:{n}",
        due_on=timezone.localdate(),
        payload={"title": title, "url": url, "event": True},
        sent_at=timezone.now(),
        read_at=timezone.now() if read else None,
    )


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("notification_list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    response = client.post(reverse("notification_read_all"))
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("persona", ["coordinator", "steering", "mentor", "student"])
def test_every_role_sees_only_their_own(client, world, persona):
    user = getattr(world, persona)
    note(user, 1, title="Mine")
    note(world.other_student, 2, title="Someone else's")
    client.force_login(user)
    page = client.get(reverse("notification_list")).content.decode()
    assert "Mine" in page
    assert "Someone else" not in page


def test_others_cannot_mark_or_open_a_notification(client, world):
    theirs = note(world.other_student)
    client.force_login(world.student)
    for name in ("notification_read", "notification_open"):
        assert client.post(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_header_shows_the_unread_count(client, world):
    note(world.student, 1)
    note(world.student, 2)
    note(world.student, 3, read=True)
    note(world.other_student, 4)
    client.force_login(world.student)
    page = client.get(reverse("student_home")).content.decode()
    assert '<span class="badge text-bg-danger">2<' in page


def test_no_badge_without_unread_and_none_for_anonymous(client, world):
    note(world.student, 1, read=True)
    client.force_login(world.student)
    assert "text-bg-danger" not in client.get(reverse("notification_list")).content.decode()
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("account_login"))
    assert not any("mentorship_notification" in q["sql"] for q in queries)


def test_mark_one_read_is_post_only(client, world):
    mine = note(world.student)
    client.force_login(world.student)
    assert client.get(reverse("notification_read", args=[mine.pk])).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None
    response = client.post(reverse("notification_read", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_open_and_mark_all_read_are_post_only(client, world):
    mine = note(world.student)
    client.force_login(world.student)
    assert client.get(reverse("notification_open", args=[mine.pk])).status_code == 405
    assert client.get(reverse("notification_read_all")).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_mark_all_read_touches_only_mine(client, world):
    mine = [note(world.student, n) for n in range(3)]
    theirs = note(world.other_student, 9)
    client.force_login(world.student)
    client.post(reverse("notification_read_all"))
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_marks_read_and_follows_the_link(client, world):
    mine = note(world.student, url="/student/deliverables/3/")
    client.force_login(world.student)
    response = client.post(reverse("notification_open", args=[mine.pk]))
    assert response["Location"] == "/student/deliverables/3/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_open_refuses_an_outside_link(client, world):
    mine = note(world.student, url="https://evil.example/")
    client.force_login(world.student)
    response = client.post(reverse("notification_open", args=[mine.pk]))
    assert response["Location"] == reverse("notification_list")


def test_list_renders_in_the_readers_language(client, world):
    world.student.preferred_language = "zh-hans"
    world.student.save(update_fields=["preferred_language"])
    # Titles are stored as English msgids and translated when read.
    note(world.student, title="Save")
    client.force_login(world.student)
    page = client.get(reverse("notification_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "保存" in page.content.decode()


def test_list_is_newest_first_and_paginated(client, world):
    for n in range(30):
        note(world.student, n, title=f"Item {n:02d}")
    client.force_login(world.student)
    page = client.get(reverse("notification_list")).content.decode()
    assert page.index("Item 29") < page.index("Item 28")
    assert "Item 04" not in page
    assert "Item 04" in client.get(reverse("notification_list") + "?page=2").content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["notification_list", "student_home"])
def test_query_count_does_not_grow(client, world, url_name):
    client.force_login(world.student)
    for n in range(2):
        note(world.student, n)
    small = count_queries(client, reverse(url_name))
    for n in range(2, 40):
        note(world.student, n, read=n % 2 == 0)
    assert count_queries(client, reverse(url_name)) == small


def test_nudges_are_optional_and_deliverable_reminders_required():
    from mentorship.reminders import is_optional

    optional = {
        "review_waiting",
        "selection_deadline",
        "meeting_gap",
        "meeting_unconfirmed",
        "activity_soon",
    }
    assert all(is_optional(kind) for kind in optional)
    assert not is_optional("deliverable_due")
