"""With sign-up open, the sign-up and password reset forms answer the same
whether an address has an account or not; its owner gets an e-mail instead."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-unique-pass-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def open_signup(settings):
    settings.ACCOUNT_ALLOW_SIGNUP = True
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def sign_up(client, email):
    response = client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    page = client.get(response.url) if response.status_code == 302 else response
    return response, CSRF.sub("", page.text.replace(email, "<address>"))


def test_signing_up_with_a_known_address_answers_as_with_a_new_one(client, world, open_signup):
    users = get_user_model().objects
    before = users.count()

    known, known_page = sign_up(client, world.student.email)
    client.logout()
    new, new_page = sign_up(client, "new-person@example.test")

    assert (known.status_code, known.get("Location")) == (new.status_code, new.get("Location"))
    assert known.status_code == 302
    assert known_page == new_page
    assert users.count() == before + 1  # only the new person
    assert [message.to for message in mail.outbox] == [
        [world.student.email],
        ["new-person@example.test"],
    ]
    assert "already" in mail.outbox[0].body


def test_a_reset_for_an_unknown_address_answers_as_for_a_known_one(client, world):
    known = client.post(reverse("account_reset_password"), {"email": world.student.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.test"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # Sign-up is closed: nothing invites the unknown address to sign up.
    assert [message.to for message in mail.outbox] == [[world.student.email]]
