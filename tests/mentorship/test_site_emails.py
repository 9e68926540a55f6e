"""E-mails name the site and link to it from settings (SITE_NAME, SITE_URL),
never from the Site row ("example.com") or the request's host; subjects and
plain-text bodies are not HTML-escaped."""

import re

import pytest
from django.conf import settings as live_settings
from django.core import mail
from django.core.checks import Error, Warning
from django.urls import reverse

from mentorship import checks
from mentorship.invitations import send_invitation_email
from sessions_app.meeting_mails import send_confirmation_requests
from tests import factories as f

pytestmark = pytest.mark.django_db

SITE = "https://mentors.example.edu"
URL = re.compile(r"https?://[^\s\"'<>]+")


def links(message):
    return URL.findall(message.body) + URL.findall(message.alternatives[0].content)


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "Business School Mentoring"
    return settings


def test_links_in_a_mail_sent_without_a_request_are_on_site_url(site, world):
    engagement = world.mentor.mentor_profile.engagements.get()
    world.mentor.set_unusable_password()
    world.mentor.save()

    send_invitation_email(engagement=engagement)

    found = links(mail.outbox[0])
    assert len(found) >= 2  # in the text and the HTML body
    assert all(link.startswith(f"{SITE}/") for link in found), found


def test_allauth_mails_use_the_site_name_and_url_not_the_request_host(client, site, world):
    response = client.post(reverse("account_reset_password"), {"email": world.mentor.email})
    assert response.status_code == 302

    message = mail.outbox[0]
    assert message.subject.startswith("[Business School Mentoring] ")
    assert "example.com" not in message.body and "testserver" not in message.body
    reset = [link for link in URL.findall(message.body) if "/password/reset/key/" in link]
    assert reset and reset[0].startswith(f"{SITE}/accounts/password/reset/key/")
    # The link works.
    assert client.get(reset[0].removeprefix(SITE), follow=True).status_code == 200


def test_without_a_site_name_the_prefix_is_the_product_name(client, settings, world):
    settings.SITE_NAME = ""
    client.post(reverse("account_reset_password"), {"email": world.mentor.email})
    assert mail.outbox[0].subject.startswith("[Mentor programs] ")


def test_subjects_and_text_bodies_are_not_html_escaped(world):
    name = 'O\'Brien & "Sons"'
    world.mentor.full_name = name
    world.mentor.save()
    participant = f.MeetingParticipantFactory(
        meeting__cycle=world.cycle,
        meeting__author=world.mentor.mentor_profile,
        student=world.student.student_profile,
    )

    send_confirmation_requests(participant_ids=[participant.pk])

    message = mail.outbox[0]
    assert message.subject == f"Please confirm your meeting with {name}"
    assert name in message.body
    html = message.alternatives[0].content
    assert name not in html and "O&#x27;Brien &amp; &quot;Sons&quot;" in html


@pytest.mark.parametrize(
    "debug, url, problem",
    [
        (False, "", "mentorship.E001"),
        (True, "", None),
        (False, "mentors.example.edu", "mentorship.E002"),
        (False, "https://mentors.example.edu/app", "mentorship.E002"),
        (False, "ftp://mentors.example.edu", "mentorship.E002"),
        (False, SITE, None),
        (False, "http://127.0.0.1:8000", None),
    ],
)
def test_site_url_is_checked(settings, debug, url, problem):
    settings.DEBUG, settings.SITE_URL = debug, url
    found = checks.site_url_check(None)
    assert [(type(m), m.id) for m in found] == ([(Error, problem)] if problem else [])


def test_open_sign_up_needs_mandatory_verification(settings):
    settings.ACCOUNT_ALLOW_SIGNUP, settings.ACCOUNT_EMAIL_VERIFICATION = True, "optional"
    assert [m.id for m in checks.signup_enumeration_check(None)] == ["mentorship.E003"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    assert checks.signup_enumeration_check(None) == []
    settings.ACCOUNT_ALLOW_SIGNUP, settings.ACCOUNT_EMAIL_VERIFICATION = False, "optional"
    assert checks.signup_enumeration_check(None) == []


def test_a_per_process_cache_is_a_deploy_warning(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    found = checks.shared_cache_check(None)
    assert [(type(m), m.id) for m in found] == [(Warning, "mentorship.W001")]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert checks.shared_cache_check(None) == []


def test_the_development_default_is_the_local_server():
    assert live_settings.SITE_URL == "http://127.0.0.1:8000"
