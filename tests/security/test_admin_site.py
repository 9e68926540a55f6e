"""The project's admin site refuses what Django's own would answer with a 500."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group as AuthGroup
from django.db import models
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def change_pages(world):
    group = AuthGroup.objects.get(name="Coordinators")
    return [
        reverse("admin:programs_cycle_change", args=[world.cycle.pk]),
        reverse("admin:programs_cycle_delete", args=[world.cycle.pk]),
        # Not the project's admin: only coordinators' permissions keep them out.
        reverse("admin:auth_group_change", args=[group.pk]),
    ]


def test_an_empty_to_field_is_a_bad_request_not_a_500(client, world):
    client.force_login(world.coordinator)
    for url in change_pages(world):
        assert client.get(url, {"_to_field": ""}).status_code == 400, url
        assert client.post(url, {"_to_field": ""}).status_code == 400, url


def test_people_without_the_admin_still_go_to_sign_in_first(client, world):
    url = change_pages(world)[0]
    response = client.get(url, {"_to_field": ""})
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_pop_up_naming_its_field_still_opens(client, world):
    client.force_login(world.coordinator)
    url = change_pages(world)[0]
    assert client.get(url, {"_to_field": "id", "_popup": "1"}).status_code == 200


def test_a_pop_up_source_that_names_no_model_is_a_bad_request_not_a_500(client, world):
    # Django splits it at its dot once the pop-up's object is saved.
    client.force_login(world.coordinator)
    url = reverse("admin:assessments_leveldescriptor_add")
    dimension = f.CompetenceDimensionFactory(program=world.program)
    data = {"dimension": dimension.pk, "level": "2", "text": "Knows a little"}
    data.update({"_popup": "1", "_source_model": "2"})
    assert client.post(url, data).status_code == 400
    assert client.get(url, {"_popup": "1", "_source_model": "2"}).status_code == 400


def test_a_pop_up_from_a_model_page_still_opens(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:assessments_leveldescriptor_add")
    response = client.get(url, {"_popup": "1", "_source_model": "programs.program"})
    assert response.status_code == 200


def test_every_model_in_the_admin_has_whole_number_ids():
    # The site refuses ticked rows that are no whole number (see below).
    for model in admin.site._registry:
        assert isinstance(model._meta.pk, models.AutoField | models.BigAutoField), model


@pytest.mark.parametrize(
    "changelist", ["admin:auth_group_changelist", "admin:sites_site_changelist"]
)
def test_a_bulk_action_on_rows_that_are_no_ids_is_a_bad_request_on_stock_admins_too(
    client, changelist
):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    data = {"action": "delete_selected", "_selected_action": ["²"]}
    assert client.post(reverse(changelist), data).status_code == 400
