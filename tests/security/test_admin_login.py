"""Staff sign in through allauth's rate-limited form: /admin/login/ never
checks a password itself, so guessing is refused there as on /accounts/login/."""

import pytest
from allauth.account import app_settings
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


def failures_allowed():
    """Failed attempts per address before allauth refuses (its settings)."""
    rates = parse_rates(app_settings.RATE_LIMITS["login_failed"])
    return min(rate.amount for rate in rates if rate.per == "key")


def sign_in_form(client, path):
    """The address the sign-in page reached from ``path`` posts to."""
    response = client.get(path, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0] if response.redirect_chain else path


def attempt(client, form_url, email, password):
    # Field names of both allauth's form and Django's admin form.
    data = {"login": email, "username": email, "password": password}
    response = client.post(form_url, data)
    return response, "_auth_user_id" in client.session


@pytest.mark.parametrize("entry", ["/accounts/login/", "/admin/login/?next=/admin/"])
def test_the_attempt_after_the_limit_is_refused_even_with_the_right_password(client, world, entry):
    form_url = sign_in_form(client, entry)
    email = world.coordinator.email
    for _ in range(failures_allowed()):
        assert not attempt(client, form_url, email, "wrong-password")[1]

    response, signed_in = attempt(client, form_url, email, settings.DEMO_PASSWORD)

    assert not signed_in
    assert TOO_MANY in response.text


def test_many_guesses_posted_to_the_admin_login_sign_nobody_in(client, world):
    email = world.coordinator.email
    for _ in range(30):
        attempt(client, "/admin/login/", email, "wrong-password")
    assert not attempt(client, "/admin/login/", email, settings.DEMO_PASSWORD)[1]


def test_admin_login_sends_staff_to_allauth_and_back(client, world):
    response = client.get("/admin/programs/cycle/")
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=/admin/programs/cycle/"

    login = client.post(
        response.url, {"login": world.coordinator.email, "password": settings.DEMO_PASSWORD}
    )

    assert login.status_code == 302 and login.url == "/admin/programs/cycle/"
    assert client.get(login.url).status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", ""])
def test_an_unsafe_or_missing_next_goes_to_the_admin_index(client, target):
    response = client.get("/admin/login/", {"next": target})
    assert response.url == f"{reverse('account_login')}?next=/admin/"


def test_signed_in_staff_go_straight_on(client, world):
    client.force_login(world.coordinator)
    response = client.get("/admin/login/", {"next": "/admin/programs/"})
    assert response.status_code == 302 and response.url == "/admin/programs/"


@pytest.mark.parametrize("target", ["²", "admin:index", "https://evil.example/"])
def test_signed_in_staff_with_a_next_that_is_no_path_go_to_the_admin_index(client, world, target):
    # redirect() takes a bare word for a URL name: "²" was a 500.
    client.force_login(world.coordinator)
    response = client.get("/admin/login/", {"next": target})
    assert response.status_code == 302 and response.url == "/admin/"


def test_signed_in_people_without_admin_access_are_refused_not_looped(client, world):
    client.force_login(world.student)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
