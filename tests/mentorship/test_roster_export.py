"""The roster export costs the same number of queries however many people it lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"


def add_students(world, count):
    """``count`` students on the program's roster, each enrolled in its cycle
    and one in two in the other program's cycle too (two rows each)."""
    for number in range(count):
        enrollment = f.EnrollmentFactory(cycle=world.cycle)
        f.RosterEntryFactory(program=world.program, user=enrollment.student.user, role="student")
        if number % 2:
            f.EnrollmentFactory(student=enrollment.student, cycle=world.other_cycle)


def export(client, file_format):
    url = reverse("admin:mentorship_studentprofile_export")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"format": file_format, "resource": "0"})
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT])
def test_export_queries_do_not_grow_with_the_roster(
    client, world, file_format, settings, monkeypatch
):
    # Small chunks, so that both sizes span several (import-export's own
    # paging prefetched per chunk: its query count grew with the roster).
    settings.IMPORT_EXPORT_CHUNK_SIZE = 2
    monkeypatch.setattr("mentorship.resources.export.EXPORT_CHUNK", 2)
    client.force_login(world.coordinator)
    add_students(world, 3)
    small, response = export(client, file_format)
    rows_before = len(response.content.splitlines())
    add_students(world, 12)
    large, response = export(client, file_format)
    assert small == large
    if file_format == CSV_FORMAT:
        lines = response.content.decode("utf-8-sig").splitlines()
        # Only this program's rows: the other program's cycle is not theirs.
        assert len(lines) == rows_before + 12
        assert all(",Alumni Mentor Program," in line for line in lines[1:])


def test_superuser_export_lists_every_placement(client, world, admin_user):
    client.force_login(admin_user)
    _queries, response = export(client, CSV_FORMAT)
    before = response.content.decode("utf-8-sig").splitlines()[1:]
    add_students(world, 4)
    _queries, response = export(client, CSV_FORMAT)
    lines = response.content.decode("utf-8-sig").splitlines()[1:]
    # One row per program and cycle: four more in this program, two also in the other.
    added = [line for line in lines if line not in before]
    assert sum(",Alumni Mentor Program,2026-2027," in line for line in added) == 4
    assert sum(",Career Coaching Program,2026," in line for line in added) == 2
    assert len(added) == 6
