"""Roster import and export across programs: what a coordinator may name,
see and take out, and the sample files."""

from pathlib import Path

import pytest
from django.conf import settings

from mentorship import models as m
from mentorship.resources import MentorRosterResource, StudentRosterResource

from .roster_files import (
    MENTOR_HEADERS,
    STUDENT_HEADERS,
    csv_dataset,
    mentor,
    messages_of,
    row_messages,
    run,
    table_counts,
)
from .takeover import REFUSAL_TEXT

pytestmark = pytest.mark.django_db


def test_coordinator_of_another_program_cannot_name_it(world):
    before = table_counts()
    rows = [
        mentor(email="a@example.com", program="Alumni Mentor Program"),
        mentor(email="b@example.com", program="No Such Program"),
    ]

    result = run(MentorRosterResource, world.other_coordinator, csv_dataset(MENTOR_HEADERS, rows))

    assert row_messages(result) == {
        1: [("program", "Unknown program “Alumni Mentor Program”.")],
        2: [("program", "Unknown program “No Such Program”.")],
    }
    assert table_counts() == before


def test_preview_refuses_another_programs_person_without_showing_them(world):
    """Coordinator B naming program A's student gets a row error, in the dry
    run too, and nothing of what A stored about them."""
    profile = world.student.student_profile
    row = {
        "email": world.student.email,
        "program": "Career Coaching Program",
        "student_number": profile.student_number,
    }

    result = run(
        StudentRosterResource,
        world.other_coordinator,
        csv_dataset(STUDENT_HEADERS, [row]),
        dry_run=True,
    )

    assert row_messages(result) == {1: [("email", REFUSAL_TEXT)]}
    shown = " ".join(map(str, [*result.invalid_rows[0].values, *messages_of(result)]))
    assert "Stu Student" not in shown and profile.major not in shown
    assert not m.RosterEntry.objects.filter(
        user=world.student, program=world.other_program
    ).exists()


def test_dry_run_previews_and_writes_nothing(world):
    before = table_counts()
    rows = [
        mentor(),
        {"email": world.mentor.email, "program": "Alumni Mentor Program", "title": "CFO"},
    ]

    result = run(
        MentorRosterResource, world.coordinator, csv_dataset(MENTOR_HEADERS, rows), dry_run=True
    )

    assert [row.import_type for row in result.rows] == ["new", "update"]
    assert "CFO" in " ".join(result.rows[1].diff)
    assert table_counts() == before


def test_blank_rows_are_ignored(world):
    dataset = csv_dataset(
        MENTOR_HEADERS, [mentor(), {}, mentor(email="b@example.com", full_name="Bo")]
    )
    result = run(MentorRosterResource, world.coordinator, dataset)
    assert not result.has_validation_errors(), row_messages(result)
    assert result.totals["new"] == 2


def test_export_lists_own_programs_and_reimports_unchanged(world):
    run(MentorRosterResource, world.coordinator, csv_dataset(MENTOR_HEADERS, [mentor()]))
    queryset = m.MentorProfile.objects.all()

    exported = MentorRosterResource(user=world.coordinator).export(queryset=queryset)

    assert exported.headers == MENTOR_HEADERS
    emails = [row[0] for row in exported]
    assert sorted(emails) == ["li.wei@example.com", "mentor@example.test"]
    li = dict(zip(exported.headers, exported[emails.index("li.wei@example.com")], strict=True))
    assert (li["program"], li["cycle"], li["capacity"], li["kind"]) == (
        "Alumni Mentor Program",
        "2026-2027",
        "4",
        "alumnus",
    )
    before = table_counts()
    again = run(
        MentorRosterResource, world.coordinator, csv_dataset(exported.headers, exported.dict)
    )
    assert not again.has_validation_errors(), row_messages(again)
    assert table_counts() == before


def test_student_export_of_another_coordinator(world):
    exported = StudentRosterResource(user=world.other_coordinator).export()
    assert [row[0] for row in exported] == ["other-student@example.test"]
    assert exported.dict[0]["program"] == "Career Coaching Program"
    assert exported.dict[0]["cycle"] == "2026"


@pytest.mark.parametrize(
    ("resource_class", "name"),
    [(MentorRosterResource, "mentors"), (StudentRosterResource, "students")],
)
def test_sample_files_match_the_columns_and_import_cleanly(world, resource_class, name):
    text = (Path(settings.BASE_DIR) / "docs" / "roster-samples" / f"{name}.csv").read_text()
    from import_export.formats.base_formats import CSV

    dataset = CSV().create_dataset(text)
    assert dataset.headers == resource_class.column_names()
    assert [dict(row) for row in dataset.dict] == [
        {column: sample.get(column, "") for column in dataset.headers}
        for sample in resource_class.sample_rows
    ]
    result = run(resource_class, world.coordinator, dataset)
    assert not result.has_errors() and not result.has_validation_errors(), row_messages(result)
    assert result.totals["new"] == len(resource_class.sample_rows)


def test_staff_accounts_keep_their_name(world):
    """A coordinator may put a steering member on the roster, not rename them."""
    renamed = mentor(email=world.steering.email, full_name="Someone Else", preferred_language="")
    kept = mentor(
        email=world.steering.email.upper(),
        full_name="",
        preferred_language="en",
        cycle="",
        capacity="",
    )

    errors = row_messages(
        run(MentorRosterResource, world.coordinator, csv_dataset(MENTOR_HEADERS, [renamed]))
    )
    result = run(MentorRosterResource, world.coordinator, csv_dataset(MENTOR_HEADERS, [kept]))

    assert errors == {
        1: [
            (
                "full_name",
                "Only an administrator can change a staff account; leave this empty.",
            )
        ]
    }
    assert not result.has_validation_errors(), row_messages(result)
    world.steering.refresh_from_db()
    assert world.steering.full_name == "Sam Steering"
    assert world.steering.mentor_profile.kind == "alumnus"
