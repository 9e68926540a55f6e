"""The roster import finds the file's people in one lookup for the whole file,
not one per row (at 11,000 rows each lookup read the users table)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship import models as m
from mentorship.resources import StudentRosterResource
from tests import factories as f

from .roster_files import STUDENT_HEADERS, csv_dataset, row_messages, run, student

pytestmark = pytest.mark.django_db

# A case-insensitive e-mail lookup: UPPER(email) (Upper(), or email__iexact on
# PostgreSQL) or email LIKE (email__iexact on SQLite).
EMAIL_LOOKUP = re.compile(r'UPPER\("mentorship_user"\."email"|"mentorship_user"\."email" LIKE')


def roster(world, size):
    """``size`` students already on the program's roster, their addresses in
    another case, and ``size`` new ones."""
    rows = []
    for i in range(size):
        known = f.StudentProfileFactory(user__email=f"known-{size}-{i}@example.test")
        f.RosterEntryFactory(user=known.user, program=world.program, role="student")
        rows.append(student(email=f"KNOWN-{size}-{i}@Example.test", student_number=f"K{size}{i}"))
        rows.append(student(email=f"new-{size}-{i}@example.test", student_number=f"N{size}{i}"))
    return rows


def email_lookups(world, size):
    rows = roster(world, size)
    with CaptureQueriesContext(connection) as queries:
        result = run(StudentRosterResource, world.coordinator, csv_dataset(STUDENT_HEADERS, rows))
    assert not result.has_validation_errors(), row_messages(result)
    return sum(1 for query in queries if EMAIL_LOOKUP.search(query["sql"]))


def test_the_lookups_do_not_grow_with_the_rows(world):
    assert email_lookups(world, 2) == email_lookups(world, 6) == 1


def test_known_people_are_updated_and_a_later_row_finds_who_an_earlier_one_created(world):
    known = f.StudentProfileFactory(user__email="known@example.test", major="History")
    f.RosterEntryFactory(user=known.user, program=world.program, role="student")
    other_cycle = f.CycleFactory(program=world.program, name="2027-2028")
    rows = [
        student(email="Known@Example.test", student_number="K1", major="Law"),
        student(email="new@example.test", student_number="N1"),
        student(email="NEW@example.test", student_number="N1", cycle=other_cycle.name),
    ]

    result = run(StudentRosterResource, world.coordinator, csv_dataset(STUDENT_HEADERS, rows))

    assert not result.has_validation_errors(), row_messages(result)
    known.refresh_from_db()
    assert known.major == "Law"
    new = m.StudentProfile.objects.get(user__email="new@example.test")
    assert set(new.enrollments.values_list("cycle__name", flat=True)) == {
        "2026-2027",
        "2027-2028",
    }
    assert m.User.objects.filter(email__iexact="new@example.test").count() == 1
