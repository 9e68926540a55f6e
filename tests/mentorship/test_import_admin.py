"""Roster import and export through the admin pages, as a coordinator uses them."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorship import models as m
from tests import factories as f

from .roster_files import (
    MENTOR_HEADERS,
    STUDENT_HEADERS,
    csv_bytes,
    mentor,
    student,
    table_counts,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

MENTOR_IMPORT = "admin:mentorship_mentorprofile_import"
STUDENT_IMPORT = "admin:mentorship_studentprofile_import"
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def upload(client, url_name, content, name="roster.csv", file_format=CSV_FORMAT):
    return client.post(
        reverse(url_name),
        {"format": file_format, "resource": "0", "import_file": SimpleUploadedFile(name, content)},
    )


def confirm(client, url_name, preview):
    form = preview.context["confirm_form"]
    process_url = reverse(url_name.replace("_import", "_process_import"))
    return client.post(process_url, {name: form.initial[name] for name in form.initial})


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse(MENTOR_IMPORT))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("url_name", [MENTOR_IMPORT, STUDENT_IMPORT])
def test_staff_without_import_permission_is_refused(client, world, url_name):
    client.force_login(f.UserFactory(email="clerk@example.test", is_staff=True))
    assert client.get(reverse(url_name)).status_code == 403
    assert client.get(reverse(url_name.replace("_import", "_import_template"))).status_code == 403


def test_steering_member_cannot_import(client, world):
    client.force_login(world.steering)
    assert client.get(reverse(STUDENT_IMPORT)).status_code == 403


def test_import_page_explains_the_columns(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse(MENTOR_IMPORT))
    assert response.status_code == 200
    page = response.content.decode()
    assert "alumni_degree" in page and "Download a CSV template" in page
    assert "Alumni Mentor Program" in page
    assert "Career Coaching Program" not in page


def test_coordinator_imports_mentors_end_to_end(client, world):
    client.force_login(world.coordinator)
    before = table_counts()
    content = csv_bytes(MENTOR_HEADERS, [mentor(), mentor(email="anna@example.com", capacity="")])

    preview = upload(client, MENTOR_IMPORT, content)

    assert preview.status_code == 200
    assert "confirm_form" in preview.context, preview.content.decode()
    assert preview.context["result"].totals["new"] == 2
    assert "Li Wei" in preview.content.decode()
    assert table_counts() == before  # the preview is a dry run

    response = confirm(client, MENTOR_IMPORT, preview)

    assert response.status_code == 302
    assert response.url == reverse("admin:mentorship_mentorprofile_changelist")
    assert m.Engagement.objects.filter(cycle=world.cycle, mentor__user__email="anna@example.com")
    assert m.RosterEntry.objects.filter(program=world.program, role="mentor").count() == 3
    assert LogEntry.objects.filter(user=world.coordinator).count() == 2


def test_a_new_person_on_two_rows_is_saved_once_and_logged_by_id(client, world):
    client.force_login(world.coordinator)
    # On the roster only, then in the cycle; the later row adds the major.
    rows = [student(cycle="", statement="", major=""), student()]
    preview = upload(client, STUDENT_IMPORT, csv_bytes(STUDENT_HEADERS, rows))
    assert (
        preview.context["result"].totals["new"],
        preview.context["result"].totals["update"],
    ) == (1, 1)

    confirm(client, STUDENT_IMPORT, preview)

    profile = m.StudentProfile.objects.get(user__email="zhang.min@example.com")
    assert profile.major == "Accounting"
    assert profile.enrollments.get().cycle == world.cycle
    assert m.RosterEntry.objects.filter(user=profile.user, program=world.program).count() == 1
    logged = LogEntry.objects.filter(user=world.coordinator)
    assert set(logged.values_list("object_id", flat=True)) == {str(profile.pk)}


def test_coordinator_imports_students_from_xlsx(client, world):
    client.force_login(world.coordinator)
    rows = [student(student_number=2023010001, year=2)]

    preview = upload(
        client, STUDENT_IMPORT, xlsx_bytes(STUDENT_HEADERS, rows), "roster.xlsx", XLSX_FORMAT
    )
    assert "confirm_form" in preview.context, preview.content.decode()
    assert confirm(client, STUDENT_IMPORT, preview).status_code == 302

    profile = m.StudentProfile.objects.get(user__email="zhang.min@example.com")
    assert (profile.student_number, profile.year) == ("2023010001", 2)
    assert profile.enrollments.get().cycle == world.cycle


def test_bad_file_shows_row_errors_and_offers_no_confirmation(client, world):
    client.force_login(world.coordinator)
    before = table_counts()
    rows = [
        student(),
        student(email="not-an-address", student_number="S-2"),
        student(email="b@example.com", student_number="S-3", program="Career Coaching Program"),
        student(email="c@example.com"),
    ]

    response = upload(client, STUDENT_IMPORT, csv_bytes(STUDENT_HEADERS, rows))

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "Row 2, email: “not-an-address” is not a valid e-mail address." in page
    assert "Row 3, program: Unknown program “Career Coaching Program”." in page
    assert "Row 4, student_number: Row 1 gives this student number to another person." in page
    assert table_counts() == before


def test_missing_columns_shown_without_traceback(client, world):
    client.force_login(world.coordinator)
    response = upload(client, MENTOR_IMPORT, csv_bytes(["email"], [{"email": "a@example.com"}]))
    page = response.content.decode()
    assert "Required columns are missing: full_name, program, kind." in page
    assert "Traceback" not in page
    assert "confirm_form" not in response.context


def test_confirm_refuses_when_rows_fail_meanwhile(client, world):
    """The preview passed, then someone took the student number: nothing is written."""
    client.force_login(world.coordinator)
    rows = [student(email="a@example.com", student_number="A-1"), student()]
    preview = upload(client, STUDENT_IMPORT, csv_bytes(STUDENT_HEADERS, rows))
    assert "confirm_form" in preview.context, preview.content.decode()
    f.StudentProfileFactory(user__email="late@example.com", student_number="2023010001")
    before = table_counts()

    response = confirm(client, STUDENT_IMPORT, preview)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "Student number 2023010001 already belongs to another person." in page
    assert table_counts() == before
    assert not m.User.objects.filter(email="a@example.com").exists()
    assert not LogEntry.objects.exists()


def test_template_download_uses_own_program(client, world):
    client.force_login(world.other_coordinator)
    response = client.get(reverse("admin:mentorship_studentprofile_import_template"))
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(STUDENT_HEADERS)
    assert all(",Career Coaching Program,2026," in line for line in lines[1:])


def test_export_is_limited_to_own_programs(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:mentorship_mentorprofile_export")
    assert client.get(url).status_code == 200

    response = client.post(url, {"format": CSV_FORMAT, "resource": "0"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mentor-roster-')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(MENTOR_HEADERS)
    assert len(lines) == 2
    assert lines[1].startswith("mentor@example.test,Max Mentor,en,Alumni Mentor Program,2026-2027,")


def test_oversized_file_is_refused(client, world, monkeypatch):
    monkeypatch.setattr("mentorship.admin_import.MAX_FILE_SIZE", 100)
    client.force_login(world.coordinator)
    before = table_counts()
    response = upload(client, MENTOR_IMPORT, csv_bytes(MENTOR_HEADERS, [mentor()]))
    assert response.status_code == 200
    assert "a roster file may be at most 100\xa0bytes" in response.content.decode()
    assert "confirm_form" not in response.context
    assert table_counts() == before


@pytest.mark.parametrize(
    "tampered",
    [
        {"format": "\u00b2"},
        {"format": "7"},
        {"format": XLSX_FORMAT},  # the CSV file read as a workbook
        {"import_file_name": "gone"},
        {"import_file_name": "."},
        {"import_file_name": "", "format": ""},
    ],
)
def test_a_tampered_confirmation_is_a_bad_request(client, world, tampered):
    # django-import-export used the hidden fields as sent: each of these was a 500.
    client.force_login(world.coordinator)
    preview = upload(client, STUDENT_IMPORT, csv_bytes(STUDENT_HEADERS, [student()]))
    form = preview.context["confirm_form"]
    before = table_counts()
    response = client.post(
        reverse("admin:mentorship_studentprofile_process_import"), {**form.initial, **tampered}
    )
    assert response.status_code == 400
    assert table_counts() == before


def test_a_confirmation_is_used_once(client, world):
    client.force_login(world.coordinator)
    preview = upload(client, STUDENT_IMPORT, csv_bytes(STUDENT_HEADERS, [student()]))
    assert confirm(client, STUDENT_IMPORT, preview).status_code == 302
    # The stored file is gone: sent again, it was a 500.
    assert confirm(client, STUDENT_IMPORT, preview).status_code == 400
    process = reverse("admin:mentorship_studentprofile_process_import")
    assert client.get(process).status_code == 405
