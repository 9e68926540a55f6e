"""Pages for signed-in people and every file the app sends carry
``Cache-Control: private, no-store``; anonymous public responses are left alone."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    ("coordinator", "coordinator_home"),
    ("steering", "steering_home"),
    ("mentor", "mentor_home"),
    ("student", "student_home"),
    ("student", "notification_list"),
    ("coordinator", "admin:programs_cycle_changelist"),
]


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("persona, url_name", PAGES)
def test_signed_in_pages_are_not_stored(client, world, persona, url_name):
    client.force_login(getattr(world, persona))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_roster_export_is_not_stored(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:mentorship_mentorprofile_export"), {"format": "0", "resource": "0"}
    )
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_anonymous_public_responses_keep_their_caching(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert "no-store" not in directives(response)


def test_a_permanent_redirect_stays_cacheable_for_signed_in_people(client, world):
    # Browsers ask for /favicon.ico on pages without an icon; a redirect they
    # may not keep would be asked for again on every page.
    client.force_login(world.student)
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert "no-store" not in directives(response)


def test_admin_pages_name_the_site_icon(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:index"))
    assert b'rel="icon"' in response.content
