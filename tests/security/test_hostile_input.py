"""Hostile values in ids, list filters and free text answer 4xx or are
ignored, never 500 (issue 12, section 4), and an admin list filter never
filters by a program or cycle the person may not see (section 5)."""

import pytest
from django.contrib import admin
from django.core.exceptions import BadRequest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from mentorship.models import Enrollment
from programs.admin_scoping import OfferedChoiceListFilter
from programs.http import MAX_ID, NulCharacter, RejectNulMiddleware, ids_by_prefix, parse_id
from programs.reminder_policy import parse_days
from tests import factories as f

HOSTILE_NUMBERS = ["\u00b2", "\u0661\u0662", "1" * 5000, str(MAX_ID + 1), "-1", "0", " 1", "1\n"]


class TestParseId:
    def test_reads_ascii_digits_within_a_bigint(self):
        assert parse_id("12") == 12
        assert parse_id(str(MAX_ID)) == MAX_ID

    @pytest.mark.parametrize("raw", [*HOSTILE_NUMBERS, "", "abc", "1.0", None])
    def test_anything_else_is_none(self, raw):
        assert parse_id(raw) is None

    @pytest.mark.parametrize("otherwise", [Http404, BadRequest])
    def test_or_raises_what_the_caller_chose(self, otherwise):
        with pytest.raises(otherwise):
            parse_id("\u00b2", otherwise=otherwise)

    def test_ids_by_prefix_skips_keys_without_a_valid_id(self):
        data = {"mark_12": "present", "mark_\u00b2": "absent", "mark_": "x", "other_3": "y"}
        assert ids_by_prefix(data, "mark_") == {12: "present"}

    @pytest.mark.parametrize("text", ["\u00b9\u2074", "\u0661\u0664", "0", "1000"])
    def test_reminder_days_take_ascii_numbers_from_1_to_999(self, text):
        with pytest.raises(ValueError):
            parse_days(text)


def offered_choice_filters():
    """(app label, model name, parameter) of every admin list filter that
    offers programs, cycles or other fixed choices."""
    return [
        (model._meta.app_label, model._meta.model_name, spec.parameter_name)
        for model, model_admin in admin.site._registry.items()
        for spec in model_admin.list_filter
        if isinstance(spec, type) and issubclass(spec, OfferedChoiceListFilter)
    ]


def changelist(app_label, model_name):
    return reverse(f"admin:{app_label}_{model_name}_changelist")


@pytest.mark.django_db
@pytest.mark.parametrize("app_label, model_name, parameter", offered_choice_filters())
def test_list_filters_ignore_values_they_do_not_offer(
    client, world, app_label, model_name, parameter
):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    url = changelist(app_label, model_name)
    everything = list(client.get(url).context["cl"].result_list)
    for value in [*HOSTILE_NUMBERS, "abc"]:
        response = client.get(url, {parameter: value})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == everything


def date_hierarchies():
    return [
        (model._meta.app_label, model._meta.model_name, model_admin.date_hierarchy)
        for model, model_admin in admin.site._registry.items()
        if model_admin.date_hierarchy
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("app_label, model_name, field", date_hierarchies())
@pytest.mark.parametrize(
    "query", [{"year": "9999"}, {"year": "9999", "month": "12"}, {"year": "1"}, {"year": "\u00b2"}]
)
def test_a_date_hierarchy_year_out_of_range_is_an_invalid_filter(
    client, world, app_label, model_name, field, query
):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    url = changelist(app_label, model_name)
    response = client.get(url, {f"{field}__{part}": value for part, value in query.items()})
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")


def autocomplete_fields():
    return [
        (model._meta.app_label, model._meta.model_name, name)
        for model, model_admin in admin.site._registry.items()
        for name in model_admin.autocomplete_fields
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("app_label, model_name, field", autocomplete_fields())
def test_an_add_page_ignores_a_preselected_value_that_is_no_id(
    client, world, app_label, model_name, field
):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    url = reverse(f"admin:{app_label}_{model_name}_add")
    for value in ["\u00b2", "abc", "9" * 30, "1,\u00b2"]:
        assert client.get(url, {field: value}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["\u00b2", "abc", "9" * 30])
def test_a_bulk_action_on_values_that_are_no_ids_is_refused(client, world, value):
    client.force_login(world.coordinator)
    url = changelist("mentorship", "guest")
    guest = f.GuestFactory(program=world.program)
    data = {"action": "delete_selected", "_selected_action": [guest.pk, value], "post": "yes"}
    assert client.post(url, data).status_code == 400
    assert type(guest).objects.filter(pk=guest.pk).exists()


@pytest.mark.django_db
def test_the_award_admin_add_page_is_refused_not_broken(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("admin:assessments_award_add")).status_code == 403


@pytest.mark.django_db
def test_the_roster_export_answers_400_to_a_filter_it_cannot_use(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:mentorship_mentorprofile_export")
    assert client.get(url, {"user__is_active": "abc"}).status_code == 400
    assert client.get(url, {"program": "abc"}).status_code == 200


@pytest.mark.django_db
class TestFilterOutsideOnesPrograms:
    """Filtering by another program would tell which of one's people are also there."""

    def test_program_filter_of_another_program_is_ignored(self, client, world):
        both = f.UserFactory(full_name="Bo Both")
        f.RosterEntryFactory(user=both, program=world.program, role="mentor")
        f.RosterEntryFactory(user=both, program=world.other_program, role="mentor")
        client.force_login(world.coordinator)
        url = changelist("mentorship", "user")
        mine = list(client.get(url).context["cl"].result_list)
        assert both in mine and len(mine) > 1
        response = client.get(url, {"program": world.other_program.pk})
        assert list(response.context["cl"].result_list) == mine
        assert response.context["cl"].filter_specs[-1].value() is None

    def test_cycle_filter_of_another_program_is_ignored(self, client, world):
        client.force_login(world.coordinator)
        url = changelist("mentorship", "enrollment")
        mine = list(client.get(url).context["cl"].result_list)
        assert mine == list(Enrollment.objects.filter(cycle=world.cycle))
        response = client.get(url, {"cycle": world.other_cycle.pk})
        assert list(response.context["cl"].result_list) == mine

    def test_own_program_still_filters(self, client, world):
        f.StaffRoleFactory(user=world.coordinator, program=world.other_program, role="coordinator")
        client.force_login(world.coordinator)
        response = client.get(changelist("mentorship", "enrollment"), {"cycle": world.cycle.pk})
        assert list(response.context["cl"].result_list) == list(
            Enrollment.objects.filter(cycle=world.cycle)
        )


@pytest.mark.django_db
class TestNulCharacters:
    """PostgreSQL refuses NUL in text: it must not reach a query."""

    def test_admin_search(self, client, world):
        client.force_login(world.coordinator)
        response = client.get(changelist("mentorship", "user"), {"q": "a\x00b"})
        assert response.status_code == 400

    def test_admin_autocomplete(self, client, world):
        client.force_login(world.coordinator)
        query = {"app_label": "mentorship", "model_name": "enrollment", "field_name": "student"}
        response = client.get(reverse("admin:autocomplete"), {**query, "term": "\x00"})
        assert response.status_code == 400

    def test_mentor_browse_search(self, client, world):
        enrollment = Enrollment.objects.get(student__user=world.student)
        client.force_login(world.student)
        url = reverse("selection_mentors", args=[enrollment.pk])
        assert client.get(url, {"q": "\x00"}).status_code == 400

    def test_form_value_and_key(self, client, world):
        client.force_login(world.mentor)
        url = reverse("preferences")
        assert client.post(url, {"full_name": "Max\x00"}).status_code == 400
        assert client.post(url, {"full\x00name": "Max"}).status_code == 400

    def test_path(self, client):
        assert client.get("/calendar/abc%00.ics").status_code == 400

    def test_uploaded_file_bytes_are_not_looked_at(self):
        pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\x00\x01")
        upload = RequestFactory().post("/", {"file": pdf})
        middleware = RejectNulMiddleware(lambda request: HttpResponse("ok"))
        assert middleware(upload).status_code == 200

    def test_refusal_is_a_suspicious_operation(self):
        request = RequestFactory().get("/", {"q": "\x00"})
        with pytest.raises(NulCharacter):
            RejectNulMiddleware(lambda request: HttpResponse("ok"))(request)


@pytest.mark.parametrize(
    "add_page, field",
    [
        ("admin:mentorship_rosterentry_add", "user"),  # a foreign key
        ("admin:mentorship_group_add", "guests"),  # a many-to-many
        ("admin:mentorship_engagement_add", "mentor"),
    ],
)
@pytest.mark.parametrize("value", ["\u00b2", "abc", "9" * 5000])
def test_a_picked_value_that_is_no_id_is_a_form_error(client, world, add_page, field, value):
    # The autocomplete widget looked the posted value up to show it again: a 500.
    client.force_login(world.coordinator)
    response = client.post(reverse(add_page), {field: value})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
