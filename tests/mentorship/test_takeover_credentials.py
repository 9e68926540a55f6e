"""Issue 12, section 1: a coordinator never changes the password or e-mail
address of someone who is also in a program they do not coordinate; they can
have a password reset link sent to the person's own address instead."""

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories as f

from .takeover import shared_student

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-enough-passphrase-2026"


def change_url(person):
    return reverse("admin:mentorship_user_change", args=[person.pk])


def password_url(person):
    return reverse("admin:auth_user_password_change", args=[person.pk])


def change_post(person, **values):
    return {
        "email": person.email,
        "full_name": person.full_name,
        "preferred_language": person.preferred_language,
        "is_active": "on",
        "staff_roles-TOTAL_FORMS": 0,
        "staff_roles-INITIAL_FORMS": 0,
        **values,
    }


def set_password(client, person):
    return client.post(
        password_url(person),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


@pytest.fixture
def shared(world):
    return shared_student(world).user


@pytest.mark.parametrize("actor", ["coordinator", "other_coordinator"])
def test_the_change_page_shows_the_address_read_only_and_no_password_link(
    client, world, shared, actor
):
    client.force_login(getattr(world, actor))

    response = client.get(change_url(shared))

    assert response.status_code == 200
    assert "email" not in response.context["adminform"].form.fields
    assert shared.email in response.text
    assert "../password/" not in response.text
    assert "send them a password reset link" in response.text


@pytest.mark.parametrize("actor", ["coordinator", "other_coordinator"])
def test_the_address_cannot_be_changed_but_the_name_can(client, world, shared, actor):
    client.force_login(getattr(world, actor))

    response = client.post(
        change_url(shared), change_post(shared, email="attacker@example.test", full_name="Shay S.")
    )

    assert response.status_code == 302
    shared.refresh_from_db()
    assert (shared.email, shared.full_name) == ("shared-student@example.test", "Shay S.")


@pytest.mark.parametrize("actor", ["coordinator", "other_coordinator"])
def test_the_password_page_is_refused(client, world, shared, actor):
    stored = shared.password
    client.force_login(getattr(world, actor))

    assert client.get(password_url(shared)).status_code == 403
    assert set_password(client, shared).status_code == 403
    shared.refresh_from_db()
    assert shared.password == stored


def test_a_person_only_in_the_coordinators_programs_stays_theirs_to_help(client, world):
    client.force_login(world.coordinator)

    page = client.get(change_url(world.student))
    changed = client.post(
        change_url(world.student), change_post(world.student, email="stu@example.test")
    )
    reset = set_password(client, world.student)

    assert "../password/" in page.text and "email" in page.context["adminform"].form.fields
    assert changed.status_code == 302 and reset.status_code == 302
    world.student.refresh_from_db()
    assert world.student.email == "stu@example.test"
    assert world.student.check_password(NEW_PASSWORD)


def test_own_account_and_superusers(client, world, shared):
    client.force_login(world.coordinator)
    assert client.get(password_url(world.coordinator)).status_code == 200
    client.force_login(f.UserFactory(email="root@example.test", is_staff=True, is_superuser=True))
    assert set_password(client, shared).status_code == 302
    shared.refresh_from_db()
    assert shared.check_password(NEW_PASSWORD)


def test_a_reset_link_goes_to_the_persons_own_address_in_their_language(client, world, shared):
    shared.preferred_language = "zh-hans"
    shared.save()
    inactive = f.UserFactory(email="gone@example.test", is_active=False)
    f.RosterEntryFactory(user=inactive, program=world.program)
    client.force_login(world.coordinator)

    changelist = reverse("admin:mentorship_user_changelist")
    chosen = {"action": "send_password_reset", "_selected_action": [shared.pk, inactive.pk]}

    asked = client.post(changelist, chosen)

    # It mails people: first it says whom, and mails nobody yet.
    assert asked.status_code == 200 and not mail.outbox
    assert asked.context["people"] == [shared]
    assert "1 deactivated person is left out." in asked.text
    assert 'name="confirmed"' in asked.text
    again = {}
    for name, value in asked.context["confirmation"].hidden_fields:
        again.setdefault(name, []).append(value)
    response = client.post(changelist, {**again, "confirmed": "1"}, follow=True)
    assert "A password reset link was sent to 1 person." in response.text
    assert "1 deactivated person was left out." in response.text
    (message,) = mail.outbox
    assert message.to == ["shared-student@example.test"]
    assert "重置密码" in message.subject
    assert "/accounts/password/reset/key/" in message.body


def test_the_change_page_asks_before_mailing(client, world, shared):
    client.force_login(world.coordinator)
    chosen = {"CHANGE_FORM-action": "send_password_reset", "_selected_action": [shared.pk]}

    response = client.post(change_url(shared), chosen)

    assert response.status_code == 200 and not mail.outbox
    hidden = response.context["confirmation"].hidden_fields
    assert ("CHANGE_FORM-action", "send_password_reset") in hidden


def test_a_reset_link_from_the_change_page(client, world, shared):
    client.force_login(world.coordinator)

    response = client.post(
        change_url(shared),
        {
            "CHANGE_FORM-action": "send_password_reset",
            "_selected_action": [shared.pk],
            "confirmed": "1",
        },
    )

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["shared-student@example.test"]]


def test_no_reset_link_for_another_programs_person(client, world):
    client.force_login(world.coordinator)
    client.post(
        reverse("admin:mentorship_user_changelist"),
        {
            "action": "send_password_reset",
            "_selected_action": [world.other_student.pk],
            "confirmed": "1",
        },
    )
    assert not mail.outbox


@pytest.mark.parametrize("actor", ["coordinator", "other_coordinator"])
def test_the_change_page_cannot_deactivate_them(client, world, shared, actor):
    # Deactivating them would lock them out of the other program too.
    client.force_login(getattr(world, actor))
    data = change_post(shared)
    del data["is_active"]

    client.post(change_url(shared), data)

    shared.refresh_from_db()
    assert shared.is_active


def test_the_deactivate_action_leaves_them_active_and_says_so(client, world, shared):
    own = f.StudentProfileFactory(user__email="own@example.test").user
    f.RosterEntryFactory(user=own, program=world.program, role="student")
    client.force_login(world.coordinator)

    response = client.post(
        reverse("admin:mentorship_user_changelist"),
        {"action": "deactivate", "_selected_action": [shared.pk, own.pk]},
        follow=True,
    )

    shared.refresh_from_db()
    own.refresh_from_db()
    assert (shared.is_active, own.is_active) == (True, False)
    assert "1 person was left active" in response.text
