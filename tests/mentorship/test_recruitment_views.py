"""The mentor's recruitment pages: contract, profile, invitation link, home."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mentorship.invitations import invitation_path, invitation_tokens
from mentorship.models import Engagement, MentorProfile, User
from mentorship.recruitment import invite_new_person
from tests import factories as f

from .recruiting import next_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return next_cycle(world)


@pytest.fixture
def invitation(world, cycle):
    return f.EngagementFactory(
        mentor=world.mentor.mentor_profile, cycle=cycle, status="invited", capacity=5
    )


def contract(engagement):
    return reverse("engagement_contract", args=[engagement.pk])


# --- contract page ------------------------------------------------------------


def test_contract_page_role_matrix(client, world, invitation):
    url = contract(invitation)
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response.url
    client.force_login(world.student)
    assert client.get(url).status_code == 403
    assert client.post(url, {"decline": "1"}).status_code == 403
    client.force_login(world.other_mentor)
    assert client.get(url).status_code == 404
    assert client.post(url, {"decline": "1"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_mentor_reads_and_accepts_the_contract(client, world, invitation):
    client.force_login(world.mentor)
    page = client.get(contract(invitation)).content.decode()
    assert "Alumni Mentor Program" in page and "2027-2028" in page
    assert "Accept the contract" in page and "From 3 to 5 students." in page

    response = client.post(contract(invitation), {"capacity": "4", "accept": "1"}, follow=True)
    assert "You accepted the contract" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.capacity == 4


@pytest.mark.parametrize("capacity", ["", "2", "9", "many"])
def test_a_bad_capacity_shows_on_the_form_and_changes_nothing(client, world, invitation, capacity):
    client.force_login(world.mentor)
    response = client.post(contract(invitation), {"capacity": capacity, "accept": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["capacity"]
    invitation.refresh_from_db()
    assert invitation.status == "invited" and invitation.capacity == 5


def test_mentor_declines_whatever_the_capacity_field_says(client, world, invitation):
    client.force_login(world.mentor)
    response = client.post(contract(invitation), {"capacity": "99", "decline": "1"}, follow=True)
    assert "You declined" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "declined" and invitation.capacity == 5


def test_contract_is_read_only_outside_setup_and_selection(client, world):
    engagement = Engagement.objects.get(mentor__user=world.mentor, cycle=world.cycle)  # tracking
    client.force_login(world.mentor)
    page = client.get(contract(engagement)).content.decode()
    assert "only while the cycle is in setup or selection" in page
    assert "Accept the contract" not in page
    response = client.post(contract(engagement), {"decline": "1"})
    assert response.status_code == 200
    assert "only while the cycle is in setup or selection" in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.status == "accepted"


# --- profile ------------------------------------------------------------------


PROFILE = {
    "person-full_name": "Max M. Mentor",
    "person-phone": "+86 138 0000 0000",
    "profile-kind": "alumnus",
    "profile-alumni_degree": "emba",
    "profile-organisation": "Bank of Examples",
    "profile-title": "Partner",
    "profile-industry": "Banking",
    "profile-discipline": "Finance",
    "profile-languages": "English, Chinese",
    "profile-bio": "Twenty years in banking.",
}


def test_profile_page_role_matrix(client, world):
    url = reverse("mentor_profile")
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response.url
    client.force_login(world.student)
    assert client.get(url).status_code == 403
    assert client.post(url, PROFILE).status_code == 403
    assert not MentorProfile.objects.filter(organisation="Bank of Examples").exists()


def test_mentor_edits_what_students_see(client, world):
    client.force_login(world.mentor)
    page = client.get(reverse("mentor_profile")).content.decode()
    assert "What students see" in page
    response = client.post(reverse("mentor_profile"), PROFILE, follow=True)
    assert "Your profile was saved." in response.content.decode()
    profile = MentorProfile.objects.select_related("user").get(user=world.mentor)
    assert profile.organisation == "Bank of Examples" and profile.alumni_degree == "emba"
    assert profile.user.full_name == "Max M. Mentor" and profile.user.phone.startswith("+86")
    assert "Bank of Examples" in response.content.decode()  # the preview


def test_invalid_profile_shows_errors_and_saves_nothing(client, world):
    client.force_login(world.mentor)
    data = {**PROFILE, "profile-alumni_degree": "", "person-full_name": ""}
    response = client.post(reverse("mentor_profile"), data)
    assert response.status_code == 200
    person, profile = response.context["forms"]
    assert "An alumnus needs a degree." in profile.errors["alumni_degree"]
    assert person.errors["full_name"]
    world.mentor.refresh_from_db()
    assert world.mentor.full_name == "Max Mentor"
    assert MentorProfile.objects.get(user=world.mentor).kind == "enterprise"


# --- invitation link ----------------------------------------------------------


@pytest.fixture
def newcomer(world, cycle):
    outcome = invite_new_person(
        cycle=cycle, email="nina@example.test", name="Nina New", by=world.coordinator
    )
    return outcome.invited[0]


@pytest.mark.parametrize("verification", ["optional", "mandatory"])
def test_the_invitation_link_sets_a_password_signs_in_and_shows_the_contract(
    client, newcomer, settings, verification
):
    # The link came by e-mail: even where verification is mandatory it signs in.
    settings.ACCOUNT_EMAIL_VERIFICATION = verification
    user = newcomer.mentor.user
    url = invitation_path(user)
    assert url in mail.outbox[0].body
    page = client.get(url)
    assert page.status_code == 200 and "Choose your password" in page.content.decode()

    response = client.post(
        url, {"new_password1": "a-long-passphrase-2027", "new_password2": "a-long-passphrase-2027"}
    )
    assert response.status_code == 302 and response.url == contract(newcomer)
    assert client.session[SESSION_KEY] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password("a-long-passphrase-2027")
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(response.url).status_code == 200

    client.logout()
    used = client.get(url)
    assert used.status_code == 400 and "not valid" in used.content.decode()


def test_mismatched_passwords_show_on_the_form(client, newcomer):
    url = invitation_path(newcomer.mentor.user)
    response = client.post(url, {"new_password1": "a-long-passphrase", "new_password2": "other"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not User.objects.get(pk=newcomer.mentor.user_id).has_usable_password()


def test_an_altered_or_foreign_link_is_not_valid(client, world, newcomer):
    user = newcomer.mentor.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_tokens.make_token(user)
    altered = token[:-1] + ("1" if token.endswith("0") else "0")
    for path in (
        reverse("invitation_accept", args=[uid, altered]),
        reverse("invitation_accept", args=["bm90LWFuLWlk", token]),
        reverse("invitation_accept", args=[uid, "garbage"]),
    ):
        assert client.get(path).status_code == 400
        assert client.post(path, {"new_password1": "x", "new_password2": "x"}).status_code == 400
    # A person with a password of their own cannot be taken over by a link.
    mentor = world.mentor
    assert client.get(invitation_path(mentor)).status_code == 400


def test_an_expired_link_is_not_valid(client, newcomer, monkeypatch):
    url = invitation_path(newcomer.mentor.user)
    later = invitation_tokens._now() + datetime.timedelta(days=15)
    monkeypatch.setattr(invitation_tokens, "_now", lambda: later)
    assert client.get(url).status_code == 400


# --- mentor home --------------------------------------------------------------


def test_home_lists_pending_invitations_with_their_contract(client, world, invitation):
    client.force_login(world.mentor)
    page = client.get(reverse("mentor_home")).content.decode()
    assert "Invitations waiting for your answer" in page
    assert contract(invitation) in page and reverse("mentor_profile") in page


def test_home_query_count_does_not_grow_with_invitations(client, world):
    client.force_login(world.mentor)
    mentor = world.mentor.mentor_profile

    def measure(count):
        for i in range(count):
            cycle = f.CycleFactory(program=world.program, name=f"{count}-{i}")
            f.EngagementFactory(mentor=mentor, cycle=cycle, status="invited", priority=True)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("mentor_home")).status_code == 200
        return len(queries)

    assert measure(1) == measure(5)
