"""Coordinators create activities in the admin with their invitations inline."""

import pytest
from django.urls import reverse

from mentorship.models import Notification
from sessions_app.models import Activity, ActivityInvitation, Registration
from tests import factories as f

from .activity_world import salon  # noqa: F401

pytestmark = pytest.mark.django_db


def form_data(world, **extra):
    data = {
        "cycle": world.cycle.pk,
        "kind": "kick_off",
        "title": "Kick-off ceremony 2026",
        "starts_at_0": "2030-09-10",
        "starts_at_1": "14:00",
        "ends_at_0": "2030-09-10",
        "ends_at_1": "17:00",
        "place": "Great hall",
        "capacity": "",
        "invitations-TOTAL_FORMS": "2",
        "invitations-INITIAL_FORMS": "0",
        "invitations-0-group": world.team.pk,
        "invitations-1-user": world.student.pk,
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_coordinator_creates_an_activity_with_invitations(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("admin:sessions_app_activity_add"), form_data(world))
    assert response.status_code == 302, response.text
    activity = Activity.objects.get(title="Kick-off ceremony 2026")
    assert activity.created_by == world.coordinator
    invitations = ActivityInvitation.objects.filter(activity=activity)
    assert {(i.group_id, i.user_id) for i in invitations} == {
        (world.team.pk, None),
        (None, world.student.pk),
    }
    # Invited twice (with the team and on their own), the student is told once.
    told = Notification.objects.filter(kind="activity_invitation").values_list("recipient")
    assert sorted(pk for (pk,) in told) == sorted([world.mentor.pk, world.student.pk])


def test_admin_refuses_people_and_groups_of_another_program(client, world):
    client.force_login(world.coordinator)
    foreign_group = f.GroupFactory(cycle=world.other_cycle)
    data = form_data(
        world,
        **{"invitations-0-group": foreign_group.pk, "invitations-1-user": world.other_student.pk},
    )
    response = client.post(reverse("admin:sessions_app_activity_add"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Activity.objects.exists()


def test_more_places_in_the_admin_promote_the_waiting_list(client, world, salon):  # noqa: F811
    activity = salon.activity
    activity.capacity = 1
    activity.save()
    f.RegistrationFactory(activity=activity, user=world.mentor)
    waiting = f.RegistrationFactory(
        activity=activity, user=world.student, status="waitlisted", position=1
    )
    client.force_login(world.coordinator)
    data = form_data(
        world,
        title=activity.title,
        group=world.team.pk,
        capacity="2",
        **{
            "invitations-TOTAL_FORMS": "1",
            "invitations-INITIAL_FORMS": "1",
            "invitations-0-id": activity.invitations.get().pk,
            "invitations-0-activity": activity.pk,
            "invitations-0-group": world.team.pk,
            "invitations-1-user": "",
            "registrations-TOTAL_FORMS": "2",
            "registrations-INITIAL_FORMS": "2",
            "registrations-0-id": Registration.objects.get(user=world.mentor).pk,
            "registrations-0-activity": activity.pk,
            "registrations-1-id": waiting.pk,
            "registrations-1-activity": activity.pk,
        },
    )
    response = client.post(reverse("admin:sessions_app_activity_change", args=[activity.pk]), data)
    assert response.status_code == 302, response.text
    waiting.refresh_from_db()
    assert (waiting.status, waiting.position) == ("going", None)


def test_steering_views_but_cannot_change(client, world, salon):  # noqa: F811
    client.force_login(world.steering)
    change = reverse("admin:sessions_app_activity_change", args=[salon.activity.pk])
    assert client.get(change).status_code == 200
    response = client.post(change, form_data(world))
    assert response.status_code == 403


def test_invitation_of_a_person_outside_the_program_is_invalid(world, salon):  # noqa: F811
    from django.core.exceptions import ValidationError

    invitation = ActivityInvitation(activity=salon.activity, user=world.other_student)
    with pytest.raises(ValidationError):
        invitation.full_clean()
    ActivityInvitation(activity=salon.activity, user=world.student).full_clean()


def _register_more(world, activity, size):
    for _ in range(size):
        student = f.StudentProfileFactory()
        f.EnrollmentFactory(student=student, cycle=world.cycle)
        f.ActivityInvitationFactory(activity=activity, user=student.user)
        f.RegistrationFactory(activity=activity, user=student.user)


@pytest.mark.parametrize("persona", ["coordinator", "superuser"])
def test_change_form_queries_do_not_grow_with_registrations(client, world, salon, persona):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if persona == "superuser":
        user = f.UserFactory(is_staff=True, is_superuser=True)
    else:
        user = world.coordinator
    client.force_login(user)
    url = reverse("admin:sessions_app_activity_change", args=[salon.activity.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.text

    _register_more(world, salon.activity, 3)
    count()  # warms per-process caches (content types, sites)
    small, _ = count()
    _register_more(world, salon.activity, 27)
    large, page = count()
    assert small == large
    # Each invited person is still shown as chosen in their row.
    last = ActivityInvitation.objects.filter(user__isnull=False).latest("pk").user
    assert f'<option value="{last.pk}" selected>{last}</option>' in page


def _resend(world, activity):
    """The change form posted back as shown, with every invitation and registration."""
    invitations = list(activity.invitations.order_by("pk"))
    registrations = list(activity.registrations.order_by("pk"))
    data = form_data(
        world,
        title=activity.title,
        group=activity.group_id,
        **{
            "invitations-TOTAL_FORMS": str(len(invitations)),
            "invitations-INITIAL_FORMS": str(len(invitations)),
            "registrations-TOTAL_FORMS": str(len(registrations)),
            "registrations-INITIAL_FORMS": str(len(registrations)),
            "invitations-0-group": "",
            "invitations-1-user": "",
        },
    )
    for i, invitation in enumerate(invitations):
        data[f"invitations-{i}-id"] = invitation.pk
        data[f"invitations-{i}-activity"] = activity.pk
        data[f"invitations-{i}-group"] = invitation.group_id or ""
        data[f"invitations-{i}-user"] = invitation.user_id or ""
    for i, registration in enumerate(registrations):
        data[f"registrations-{i}-id"] = registration.pk
        data[f"registrations-{i}-activity"] = activity.pk
    return data


def test_saving_checks_everyones_reach_at_once(client, world, salon):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.coordinator)
    url = reverse("admin:sessions_app_activity_change", args=[salon.activity.pk])

    def roster_lookups():
        data = _resend(world, salon.activity)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data)
        assert response.status_code == 302, response.text
        # Reach's look-up of the programs people are on (mentorship.reach.programs_of).
        marker = '"mentorship_rosterentry"."program_id" AS "program_id"'
        return sum(marker in q["sql"] for q in queries)

    _register_more(world, salon.activity, 3)
    small = roster_lookups()
    _register_more(world, salon.activity, 27)
    assert roster_lookups() == small
