import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOMES = ["coordinator_home", "steering_home", "mentor_home", "student_home"]


def login(client, email):
    response = client.post(
        reverse("account_login"), {"login": email, "password": settings.DEMO_PASSWORD}
    )
    return response


@pytest.mark.parametrize(
    "persona, home",
    [
        ("coordinator", "coordinator_home"),
        ("steering", "steering_home"),
        ("mentor", "mentor_home"),
        ("student", "student_home"),
    ],
)
def test_login_lands_on_role_home(client, world, persona, home):
    response = login(client, getattr(world, persona).email)
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == reverse(home)
    assert client.get(response.url).status_code == 200


def test_login_is_case_insensitive(client, world):
    response = login(client, "Mentor@Example.TEST")
    assert response.status_code == 302


def test_wrong_password_shows_error_and_stays(client, world):
    response = client.post(
        reverse("account_login"), {"login": world.student.email, "password": "nope"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("home", HOMES)
def test_anonymous_goes_to_login(client, home):
    response = client.get(reverse(home))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "persona, forbidden",
    [
        ("student", "coordinator_home"),
        ("student", "mentor_home"),
        ("student", "steering_home"),
        ("mentor", "student_home"),
        ("mentor", "coordinator_home"),
        ("steering", "coordinator_home"),
        ("coordinator", "mentor_home"),
    ],
)
def test_role_without_the_right_gets_403(client, world, persona, forbidden):
    client.force_login(getattr(world, persona))
    assert client.get(reverse(forbidden)).status_code == 403


def test_homes_show_only_own_data(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("coordinator_home")).content.decode()
    assert world.program.name in page
    assert world.other_program.name not in page

    client.force_login(world.other_coordinator)
    page = client.get(reverse("coordinator_home")).content.decode()
    assert world.other_program.name in page
    assert world.program.name not in page

    client.force_login(world.mentor)
    page = client.get(reverse("mentor_home")).content.decode()
    assert world.team.name in page
    assert world.other_program.name not in page
