"""Roster files over ROSTER_IMPORT_ASYNC_ROWS rows: previewed and imported by a
background task (in-process here, as in the embedded default), the page
following its state."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse
from django.utils import timezone

from mentorship import models as m
from mentorship.roster_imports import STALE, confirm_roster_import, run_roster_import
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
from .test_import_admin import STUDENT_IMPORT, XLSX_FORMAT, upload

pytestmark = pytest.mark.django_db

JOB = "admin:mentorship_studentprofile_import_job"


@pytest.fixture(autouse=True)
def background(settings, monkeypatch):
    """Every file of two rows or more goes to the background, whose task
    runs at once (the test's transaction never commits)."""
    settings.ROSTER_IMPORT_ASYNC_ROWS = 1
    monkeypatch.setattr("programs.tasks_util.transaction.on_commit", lambda run: run())


def rows_of_students(count):
    return [
        student(email=f"s{n}@example.com", full_name=f"S {n}", student_number=f"N-{n}")
        for n in range(count)
    ]


def start(client, rows):
    response = upload(client, STUDENT_IMPORT, csv_bytes(STUDENT_HEADERS, rows))
    assert response.status_code == 302, response.content.decode()[:500]
    return m.RosterImport.objects.get(pk=int(re.search(r"/import/(\d+)/", response.url)[1]))


def errors_listed(page):
    return re.findall(r"<li>(Row \d+[^<]*)</li>", page)


def test_long_file_is_previewed_then_imported_in_the_background(client, world):
    client.force_login(world.coordinator)
    before = table_counts()

    job = start(client, rows_of_students(3))

    job.refresh_from_db()
    assert job.status == m.RosterImportStatus.PREVIEW_READY
    assert (job.rows_done, job.rows_total) == (3, 3)
    assert list(job.programs.all()) == [world.program]
    assert table_counts() == before  # a preview writes nothing
    page = client.get(reverse(JOB, args=[job.pk])).content.decode()
    assert "3 new people" in page
    assert "Confirm import" in page

    response = client.post(reverse(f"{JOB}_confirm", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == m.RosterImportStatus.DONE
    assert m.Enrollment.objects.filter(cycle=world.cycle, student__student_number="N-2").exists()
    assert not m.User.objects.get(email="s0@example.com").has_usable_password()
    assert "3 new people" in client.get(reverse(JOB, args=[job.pk])).content.decode()
    # In the people's admin history, as an import on the page is.
    logged = LogEntry.objects.filter(user=world.coordinator, action_flag=ADDITION)
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(
        str(pk)
        for pk in m.StudentProfile.objects.filter(student_number__startswith="N-").values_list(
            "pk", flat=True
        )
    )
    # Confirmed once: a second confirmation changes nothing.
    client.post(reverse(f"{JOB}_confirm", args=[job.pk]))
    assert m.User.objects.filter(full_name__startswith="S ").count() == 3


def test_a_long_workbook_goes_to_the_background_too(client, world):
    client.force_login(world.coordinator)
    rows = [{**row, "year": 2} for row in rows_of_students(3)]  # numbers stay numbers
    content = xlsx_bytes(STUDENT_HEADERS, rows)
    response = upload(client, STUDENT_IMPORT, content, name="roster.xlsx", file_format=XLSX_FORMAT)
    job = m.RosterImport.objects.get()
    assert response.url == reverse(JOB, args=[job.pk])
    assert (job.file_format, job.status) == ("xlsx", m.RosterImportStatus.PREVIEW_READY)
    assert job.outcome["totals"] == {"new": 3}


def test_row_errors_are_listed_as_the_synchronous_import_lists_them(client, world, settings):
    client.force_login(world.coordinator)
    rows = [
        student(),
        student(email="not-an-address", student_number="S-2"),
        student(email="b@example.com", student_number="S-3", program="Career Coaching Program"),
        student(email="c@example.com"),
    ]
    settings.ROSTER_IMPORT_ASYNC_ROWS = 100
    synchronous = upload(client, STUDENT_IMPORT, csv_bytes(STUDENT_HEADERS, rows))
    settings.ROSTER_IMPORT_ASYNC_ROWS = 1
    before = table_counts()

    job = start(client, rows)

    job.refresh_from_db()
    assert job.status == m.RosterImportStatus.FAILED
    page = client.get(reverse(JOB, args=[job.pk])).content.decode()
    assert errors_listed(page) == errors_listed(synchronous.content.decode())
    assert len(errors_listed(page)) == 3
    assert "Confirm import" not in page
    assert table_counts() == before


def test_file_errors_fail_the_preview(client, world):
    client.force_login(world.coordinator)
    content = csv_bytes(["email", "nonsense"], [{"email": "a@example.com"}, {"email": "b@x.com"}])
    response = upload(client, STUDENT_IMPORT, content)
    job = m.RosterImport.objects.get()
    assert response.url == reverse(JOB, args=[job.pk])
    assert job.status == m.RosterImportStatus.FAILED
    page = client.get(response.url).content.decode()
    assert "Required columns are missing:" in page
    assert "Traceback" not in page


def test_confirm_refuses_when_the_roster_changed_after_the_preview(client, world):
    client.force_login(world.coordinator)
    profile = world.student.student_profile
    known = student(
        email=world.student.email.upper(),
        full_name=world.student.full_name,
        student_number=profile.student_number,
        major="History",
    )
    job = start(client, [known, *rows_of_students(1)])
    assert m.RosterImport.objects.get(pk=job.pk).status == m.RosterImportStatus.PREVIEW_READY
    # Someone edits a person of the file meanwhile: the preview is stale.
    m.StudentProfile.objects.filter(pk=profile.pk).update(interests="Law")
    before = table_counts()

    client.post(reverse(f"{JOB}_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == m.RosterImportStatus.FAILED
    assert table_counts() == before
    page = client.get(reverse(JOB, args=[job.pk])).content.decode()
    assert "changed after the preview" in page
    profile.refresh_from_db()
    assert profile.major != "History"  # nothing of the file was written


def test_progress_is_polled_while_running_and_refreshes_the_page_once_done(client, world):
    client.force_login(world.coordinator)
    job = start(client, rows_of_students(2))
    m.RosterImport.objects.filter(pk=job.pk).update(
        status=m.RosterImportStatus.RUNNING, rows_done=1, rows_total=2
    )
    progress = reverse(f"{JOB}_progress", args=[job.pk])

    running = client.get(progress)
    page = client.get(reverse(JOB, args=[job.pk])).content.decode()

    assert "1 of 2 rows" in running.content.decode()
    assert f'hx-get="{progress}"' in page
    m.RosterImport.objects.filter(pk=job.pk).update(status=m.RosterImportStatus.DONE)
    assert client.get(progress)["HX-Refresh"] == "true"


def test_running_twice_starts_the_step_once(client, world):
    client.force_login(world.coordinator)
    job = start(client, rows_of_students(2))
    outcome = m.RosterImport.objects.get(pk=job.pk).outcome
    run_roster_import(import_id=job.pk)  # a duplicate delivery of the preview
    job.refresh_from_db()
    assert job.status == m.RosterImportStatus.PREVIEW_READY
    assert job.outcome == outcome


def test_a_run_whose_worker_was_lost_is_taken_up_again(client, world):
    client.force_login(world.coordinator)
    job = start(client, rows_of_students(2))
    lost = timezone.now() - STALE - timedelta(seconds=1)
    m.RosterImport.objects.filter(pk=job.pk).update(
        status=m.RosterImportStatus.RUNNING, outcome={}, updated_at=lost
    )
    run_roster_import(import_id=job.pk)
    job.refresh_from_db()
    assert job.status == m.RosterImportStatus.PREVIEW_READY
    assert job.outcome["totals"] == {"new": 2}
    # A confirm whose worker was lost after writing is done, not run again.
    confirm_roster_import(job=job, by=world.coordinator)
    lost_worker = mock.patch("mentorship.roster_imports.log_rows", side_effect=SystemExit)
    with lost_worker, pytest.raises(SystemExit):
        run_roster_import(import_id=job.pk)
    assert m.RosterImport.objects.get(pk=job.pk).status == m.RosterImportStatus.DONE
    m.RosterImport.objects.filter(pk=job.pk).update(updated_at=lost)
    run_roster_import(import_id=job.pk)
    assert m.RosterImport.objects.get(pk=job.pk).status == m.RosterImportStatus.DONE
    assert m.User.objects.filter(full_name__startswith="S ").count() == 2
    # One still alive is left alone.
    m.RosterImport.objects.filter(pk=job.pk).update(
        status=m.RosterImportStatus.RUNNING, updated_at=timezone.now()
    )
    run_roster_import(import_id=job.pk)
    assert m.RosterImport.objects.get(pk=job.pk).status == m.RosterImportStatus.RUNNING


def test_mentor_imports_run_in_the_background_too(client, world):
    client.force_login(world.coordinator)
    rows = [mentor(email=f"m{n}@example.com") for n in range(2)]
    response = client.post(
        reverse("admin:mentorship_mentorprofile_import"),
        {"format": "0", "resource": "0", "import_file": _file(csv_bytes(MENTOR_HEADERS, rows))},
    )
    job = m.RosterImport.objects.get(kind=m.RosterRole.MENTOR)
    assert response.url == reverse("admin:mentorship_mentorprofile_import_job", args=[job.pk])
    assert job.status == m.RosterImportStatus.PREVIEW_READY
    # A student import's page does not show a mentor import.
    assert client.get(reverse(JOB, args=[job.pk])).status_code == 404


def _file(content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("roster.csv", content)


# --- who may follow an import -------------------------------------------------


@pytest.fixture
def job(client, world):
    client.force_login(world.coordinator)
    started = start(client, rows_of_students(2))
    client.logout()
    return started


@pytest.mark.parametrize("view", ["", "_progress"])
def test_anonymous_is_sent_to_login(client, job, view):
    response = client.get(reverse(f"{JOB}{view}", args=[job.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("view", ["", "_progress"])
def test_roles_without_import_rights_are_refused(client, world, job, view):
    for person in (world.steering, f.UserFactory(email="clerk@example.test", is_staff=True)):
        client.force_login(person)
        assert client.get(reverse(f"{JOB}{view}", args=[job.pk])).status_code == 403
    assert client.post(reverse(f"{JOB}_confirm", args=[job.pk])).status_code == 403


@pytest.mark.parametrize("view", ["", "_progress"])
def test_other_programs_coordinators_do_not_find_it(client, world, job, view):
    client.force_login(world.other_coordinator)
    assert client.get(reverse(f"{JOB}{view}", args=[job.pk])).status_code == 404
    assert client.post(reverse(f"{JOB}_confirm", args=[job.pk])).status_code == 404


def test_a_fellow_coordinator_follows_it_but_only_its_uploader_confirms(client, world, job):
    colleague = f.UserFactory(email="colleague@example.test", is_staff=True)
    f.StaffRoleFactory(user=colleague, program=world.program, role="coordinator")
    client.force_login(colleague)
    page = client.get(reverse(JOB, args=[job.pk])).content.decode()
    assert "Preview ready" in page
    assert "Confirm import" not in page

    client.post(reverse(f"{JOB}_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == m.RosterImportStatus.PREVIEW_READY
    assert not m.User.objects.filter(email="s0@example.com").exists()


def test_confirm_is_post_only(client, world, job):
    client.force_login(world.coordinator)
    assert client.get(reverse(f"{JOB}_confirm", args=[job.pk])).status_code == 405
