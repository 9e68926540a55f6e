"""People in the admin: adding, what a coordinator may change, deactivating."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from mentorship.models import RosterEntry, StaffRole, User
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return f.UserFactory(email="root@example.test", is_staff=True, is_superuser=True)


def add_person(client, **overrides):
    data = {
        "email": "New.Person@Example.test",
        "full_name": "Nina New",
        "preferred_language": "en",
        "usable_password": "true",
        "password1": "a-long-enough-passphrase-2026",
        "password2": "a-long-enough-passphrase-2026",
        "staff_roles-TOTAL_FORMS": 0,
        "staff_roles-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return client.post(reverse("admin:mentorship_user_add"), data)


class TestAddPerson:
    def test_coordinator_adds_person_to_own_roster(self, client, world):
        client.force_login(world.coordinator)
        response = add_person(client, program=world.program.pk, placement="student")
        assert response.status_code == 302
        person = User.objects.get(email="new.person@example.test")
        assert person.check_password("a-long-enough-passphrase-2026")
        assert RosterEntry.objects.filter(user=person, program=world.program, role="student")
        # The new person is in the coordinator's view straight away.
        change = client.get(response.url)
        assert change.status_code == 200

    def test_coordinator_must_place_the_person(self, client, world):
        client.force_login(world.coordinator)
        response = add_person(client)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
        assert not User.objects.filter(email="new.person@example.test").exists()

    def test_coordinator_cannot_place_person_in_other_program(self, client, world):
        client.force_login(world.coordinator)
        response = add_person(client, program=world.other_program.pk, placement="mentor")
        assert response.status_code == 200
        assert "program" in response.context["adminform"].form.errors
        assert not User.objects.filter(email="new.person@example.test").exists()

    def test_staff_placement_grants_a_staff_role(self, client, world):
        client.force_login(world.coordinator)
        add_person(client, program=world.program.pk, placement="steering")
        person = User.objects.get(email="new.person@example.test")
        assert StaffRole.objects.filter(user=person, program=world.program, role="steering")
        person.refresh_from_db()
        assert person.is_staff

    def test_superuser_may_add_without_program(self, client, superuser):
        client.force_login(superuser)
        assert add_person(client).status_code == 302
        assert User.objects.filter(email="new.person@example.test").exists()


class TestCoordinatorLimits:
    def test_no_permission_fields_for_coordinator(self, client, world):
        client.force_login(world.coordinator)
        response = client.get(reverse("admin:mentorship_user_change", args=[world.mentor.pk]))
        fields = response.context["adminform"].form.fields
        assert {"email", "full_name", "preferred_language", "is_active"} <= set(fields)
        assert not {"is_superuser", "is_staff", "groups", "user_permissions"} & set(fields)

    def test_posting_superuser_flag_is_ignored(self, client, world):
        client.force_login(world.coordinator)
        client.post(
            reverse("admin:mentorship_user_change", args=[world.mentor.pk]),
            {
                "email": world.mentor.email,
                "full_name": "Max Renamed",
                "preferred_language": "en",
                "is_active": "on",
                "is_superuser": "on",
                "is_staff": "on",
                "staff_roles-TOTAL_FORMS": 0,
                "staff_roles-INITIAL_FORMS": 0,
            },
        )
        world.mentor.refresh_from_db()
        assert world.mentor.full_name == "Max Renamed"
        assert not world.mentor.is_superuser
        assert not world.mentor.is_staff

    def test_staff_accounts_are_view_only_for_coordinator(self, client, world):
        client.force_login(world.coordinator)
        response = client.get(reverse("admin:mentorship_user_change", args=[world.steering.pk]))
        assert response.status_code == 200
        assert 'name="_save"' not in response.text
        password = reverse("admin:auth_user_password_change", args=[world.steering.pk])
        assert client.get(password).status_code == 403

    def test_superuser_sees_permission_fields(self, client, superuser, world):
        client.force_login(superuser)
        response = client.get(reverse("admin:mentorship_user_change", args=[world.mentor.pk]))
        assert "is_superuser" in response.context["adminform"].form.fields

    def test_no_delete_for_coordinator(self, client, world):
        client.force_login(world.coordinator)
        url = reverse("admin:mentorship_user_delete", args=[world.mentor.pk])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert User.objects.filter(pk=world.mentor.pk).exists()

    def test_superuser_delete_of_person_with_history_is_protected(self, client, superuser, world):
        client.force_login(superuser)
        url = reverse("admin:mentorship_user_delete", args=[world.mentor.pk])
        response = client.post(url, {"post": "yes"})
        assert response.status_code == 200
        assert "protected" in response.text.lower()
        assert User.objects.filter(pk=world.mentor.pk).exists()


class TestDeactivate:
    def deactivate(self, client, people):
        return client.post(
            reverse("admin:mentorship_user_changelist"),
            {"action": "deactivate", "_selected_action": [person.pk for person in people]},
            follow=True,
        )

    def test_deactivates_selected_people_and_logs_it(self, client, world):
        client.force_login(world.coordinator)
        response = self.deactivate(client, [world.mentor, world.student])
        assert response.status_code == 200
        assert "2 people deactivated" in response.text
        assert not User.objects.filter(pk__in=[world.mentor.pk, world.student.pk], is_active=True)
        assert LogEntry.objects.filter(object_id=str(world.mentor.pk)).exists()

    def test_leaves_other_programs_people_and_staff_alone(self, client, world):
        client.force_login(world.coordinator)
        response = self.deactivate(
            client, [world.mentor, world.other_mentor, world.steering, world.coordinator]
        )
        assert "1 person deactivated" in response.text
        assert "2 people were left active" in response.text
        active = set(User.objects.filter(is_active=True))
        assert {world.other_mentor, world.steering, world.coordinator} <= active
        assert world.mentor not in active

    def test_no_bulk_delete_action(self, client, superuser):
        client.force_login(superuser)
        response = client.get(reverse("admin:mentorship_user_changelist"))
        assert "delete_selected" not in response.text
        assert "deactivate" in response.text
