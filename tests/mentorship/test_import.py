"""Roster import through the resources, as the admin runs them."""

import pytest

from mentorship import models as m
from mentorship.resources import MentorRosterResource, StudentRosterResource
from tests import factories as f

from .roster_files import (
    MENTOR_HEADERS,
    STUDENT_HEADERS,
    csv_dataset,
    mentor,
    row_messages,
    run,
    student,
    table_counts,
    xlsx_dataset,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make_dataset", [csv_dataset, xlsx_dataset], ids=["csv", "xlsx"])
def test_good_mentor_file_creates_people_roster_and_engagements(world, make_dataset):
    rows = [
        mentor(email="Li.Wei@Example.com", capacity=4 if make_dataset is xlsx_dataset else "4"),
        mentor(
            email="anna@example.com",
            full_name="Anna Schmidt",
            preferred_language="English",
            kind="Government employee",
            alumni_degree="",
            capacity="",
        ),
        mentor(
            email="olu@example.com",
            full_name="Olu Ade",
            kind="faculty",
            alumni_degree="",
            cycle="",
            capacity="",
        ),
    ]

    result = run(MentorRosterResource, world.coordinator, make_dataset(MENTOR_HEADERS, rows))

    assert not result.has_errors() and not result.has_validation_errors(), row_messages(result)
    assert result.totals["new"] == 3
    li = m.User.objects.get(email="li.wei@example.com")
    assert li.full_name == "Li Wei" and li.preferred_language == "zh-hans"
    assert not li.has_usable_password()
    assert li.mentor_profile.kind == "alumnus" and li.mentor_profile.alumni_degree == "emba"
    assert li.mentor_profile.organisation == "Everbright Securities"
    anna = m.MentorProfile.objects.get(user__email="anna@example.com")
    assert anna.kind == "government" and anna.alumni_degree == ""
    assert anna.user.preferred_language == "en"
    for email in ("li.wei@example.com", "anna@example.com", "olu@example.com"):
        assert m.RosterEntry.objects.filter(
            program=world.program, user__email=email, role="mentor"
        ).exists()
    engagements = {e.mentor.user.email: e for e in m.Engagement.objects.filter(cycle=world.cycle)}
    assert engagements["li.wei@example.com"].capacity == 4
    assert engagements["li.wei@example.com"].status == m.EngagementStatus.INVITED
    # No capacity: the program's maximum.
    assert engagements["anna@example.com"].capacity == world.program.mentor_capacity_max
    assert "olu@example.com" not in engagements


@pytest.mark.parametrize("make_dataset", [csv_dataset, xlsx_dataset], ids=["csv", "xlsx"])
def test_good_student_file_creates_people_roster_and_enrollments(world, make_dataset):
    numeric = make_dataset is xlsx_dataset
    rows = [
        # Spreadsheets hand numbers over as numbers.
        student(
            student_number=2023010001 if numeric else "2023010001", year=3.0 if numeric else "3"
        ),
        student(
            email="omar@example.com",
            full_name="Omar Haddad",
            student_number="M2025020017",
            degree_level="Master",
            year="",
            statement="",
            cycle="",
        ),
    ]

    result = run(StudentRosterResource, world.coordinator, make_dataset(STUDENT_HEADERS, rows))

    assert not result.has_errors() and not result.has_validation_errors(), row_messages(result)
    zhang = m.StudentProfile.objects.get(user__email="zhang.min@example.com")
    assert zhang.student_number == "2023010001" and zhang.year == 3
    assert zhang.degree_level == "undergraduate"
    assert not zhang.user.has_usable_password()
    enrollment = m.Enrollment.objects.get(student=zhang, cycle=world.cycle)
    assert enrollment.status == m.EnrollmentStatus.APPLIED
    assert enrollment.statement == "I want to learn how audit firms work."
    omar = m.StudentProfile.objects.get(user__email="omar@example.com")
    assert omar.degree_level == "master" and omar.year == 1
    assert not omar.enrollments.exists()
    assert m.RosterEntry.objects.filter(program=world.program, role="student").count() == 3


def test_bad_file_reports_every_row_and_writes_nothing(world):
    before = table_counts()
    rows = [
        student(),
        student(email="not-an-address", student_number="S-2"),
        student(email="b@example.com", student_number="S-3", program="Astronomy Program"),
        # The first row's number, for someone else: a duplicate within the file.
        student(email="c@example.com"),
        # The number of a student already in the database.
        student(
            email="d@example.com",
            student_number=world.student.student_profile.student_number,
        ),
    ]

    result = run(StudentRosterResource, world.coordinator, csv_dataset(STUDENT_HEADERS, rows))

    errors = row_messages(result)
    assert set(errors) == {2, 3, 4, 5}
    assert errors[2] == [("email", "“not-an-address” is not a valid e-mail address.")]
    assert errors[3] == [("program", "Unknown program “Astronomy Program”.")]
    assert errors[4] == [("student_number", "Row 1 gives this student number to another person.")]
    number = world.student.student_profile.student_number
    assert errors[5] == [
        ("student_number", f"Student number {number} already belongs to another person.")
    ]
    # Row 1 was fine, yet nothing of it stays.
    assert table_counts() == before
    assert not m.User.objects.filter(email="zhang.min@example.com").exists()


def test_missing_and_unknown_columns_are_a_file_error(world):
    before = table_counts()
    headers = ["E-mail", "full_name", "capacty"]
    result = run(
        MentorRosterResource,
        world.coordinator,
        csv_dataset(headers, [{"E-mail": "x@example.com", "full_name": "X", "capacty": "4"}]),
    )

    assert [str(error.error) for error in result.base_errors] == [
        "Required columns are missing: program, kind. "
        "Unknown columns: capacty. The columns are: " + ", ".join(MENTOR_HEADERS) + "."
    ]
    assert not result.rows
    assert table_counts() == before


def test_invalid_values_are_explained(world):
    closed = f.CycleFactory(program=world.program, name="2020", stage="closed")
    rows = [
        mentor(email="a@example.com", kind="astronaut"),
        mentor(email="b@example.com", alumni_degree=""),
        mentor(email="c@example.com", kind="entrepreneur", alumni_degree="mba"),
        mentor(email="d@example.com", capacity="9"),
        mentor(email="e@example.com", capacity="four"),
        mentor(email="f@example.com", cycle="", capacity="4"),
        mentor(email="g@example.com", cycle="1999"),
        mentor(email="h@example.com", cycle=closed.name),
        mentor(email="i@example.com", full_name="", preferred_language="fr"),
    ]

    errors = row_messages(
        run(MentorRosterResource, world.coordinator, csv_dataset(MENTOR_HEADERS, rows))
    )

    assert errors == {
        1: [
            (
                "kind",
                "“astronaut” is not valid here. Use one of: "
                "alumnus, entrepreneur, government, enterprise, faculty.",
            )
        ],
        2: [
            (
                "alumni_degree",
                "An alumnus needs a degree: one of emba, mba, mpacc, undergraduate, graduate.",
            )
        ],
        3: [("alumni_degree", "Only alumni have a degree; leave this cell empty.")],
        4: [("capacity", "The program allows 3 to 5 students per mentor.")],
        5: [("capacity", "“four” is not a whole number of students.")],
        6: [
            (
                "capacity",
                "A capacity is for a cycle: fill in the cycle or leave the capacity empty.",
            )
        ],
        7: [("cycle", "Program “Alumni Mentor Program” has no cycle “1999”.")],
        8: [("cycle", "Cycle “2020” is closed; nobody can join it now.")],
        9: [
            ("full_name", "This column is required."),
            ("preferred_language", "“fr” is not valid here. Use one of: en, zh-hans."),
        ],
    }


def test_invalid_student_values_are_explained(world):
    rows = [
        student(email="a@example.com", student_number="A1", degree_level="kindergarten"),
        student(email="b@example.com", student_number="B1", year="11"),
        student(email="c@example.com", student_number="", cycle="", statement="Hello"),
    ]

    errors = row_messages(
        run(StudentRosterResource, world.coordinator, csv_dataset(STUDENT_HEADERS, rows))
    )

    assert errors == {
        1: [
            (
                "degree_level",
                "“kindergarten” is not valid here. Use one of: undergraduate, master, doctoral.",
            )
        ],
        2: [("year", "The year of study must be a whole number from 1 to 10.")],
        3: [
            ("student_number", "This column is required."),
            (
                "statement",
                "A statement is for a cycle: fill in the cycle or leave the statement empty.",
            ),
        ],
    }


def test_a_person_twice_in_one_file(world):
    rows = [
        mentor(),
        mentor(email="LI.WEI@example.com"),
        mentor(cycle="", title="Partner", capacity=""),
    ]

    errors = row_messages(
        run(MentorRosterResource, world.coordinator, csv_dataset(MENTOR_HEADERS, rows))
    )

    assert errors == {
        2: [("email", "Row 1 already lists this person for the same program and cycle.")],
        3: [("title", "Row 1 gives this person a different value.")],
    }
    assert not m.User.objects.filter(email="li.wei@example.com").exists()


def test_one_person_in_two_programs_of_a_superuser(world):
    root = f.UserFactory(email="root@example.test", is_staff=True, is_superuser=True)
    rows = [mentor(), mentor(program="Career Coaching Program", cycle="2026", capacity="")]

    result = run(MentorRosterResource, root, csv_dataset(MENTOR_HEADERS, rows))

    assert not result.has_validation_errors(), row_messages(result)
    profile = m.MentorProfile.objects.get(user__email="li.wei@example.com")
    assert set(profile.engagements.values_list("cycle__name", flat=True)) == {"2026-2027", "2026"}
    assert profile.user.roster_entries.count() == 2


def test_reimport_updates_people_and_blank_cells_keep_values(world):
    run(
        MentorRosterResource,
        world.coordinator,
        csv_dataset(
            MENTOR_HEADERS, [mentor(), mentor(email="anna@example.com", cycle="", capacity="")]
        ),
    )
    run(StudentRosterResource, world.coordinator, csv_dataset(STUDENT_HEADERS, [student()]))
    engagement = m.Engagement.objects.get(mentor__user__email="li.wei@example.com")
    engagement.status = m.EngagementStatus.ACCEPTED
    engagement.save()
    before = table_counts()

    mentors = run(
        MentorRosterResource,
        world.coordinator,
        csv_dataset(
            MENTOR_HEADERS,
            [
                {
                    "email": "LI.WEI@example.com",
                    "program": "alumni mentor program",
                    "cycle": "2026-2027",
                    "title": "Partner",
                    "capacity": "5",
                },
                # Now also in the cycle, at the program's maximum.
                {
                    "email": "anna@example.com",
                    "program": "Alumni Mentor Program",
                    "cycle": "2026-2027",
                },
            ],
        ),
    )
    students = run(
        StudentRosterResource,
        world.coordinator,
        csv_dataset(
            STUDENT_HEADERS,
            [
                {
                    "email": "zhang.min@example.com",
                    "program": "Alumni Mentor Program",
                    "major": "Finance",
                }
            ],
        ),
    )

    assert not mentors.has_validation_errors(), row_messages(mentors)
    assert not students.has_validation_errors(), row_messages(students)
    assert mentors.totals["update"] == 2 and students.totals["update"] == 1
    after = table_counts()
    assert after == {**before, "Engagement": before["Engagement"] + 1}
    li = m.MentorProfile.objects.get(user__email="li.wei@example.com")
    assert li.title == "Partner"
    assert li.user.full_name == "Li Wei" and li.user.preferred_language == "zh-hans"
    assert (li.kind, li.alumni_degree, li.organisation) == (
        "alumnus",
        "emba",
        "Everbright Securities",
    )
    assert li.bio == "Twenty years in investment banking."
    engagement.refresh_from_db()
    assert engagement.capacity == 5
    assert engagement.status == m.EngagementStatus.ACCEPTED
    zhang = m.StudentProfile.objects.get(user__email="zhang.min@example.com")
    assert (zhang.major, zhang.student_number, zhang.year) == ("Finance", "2023010001", 3)
    assert zhang.enrollments.get().statement == "I want to learn how audit firms work."


def test_kind_change_away_from_alumnus_clears_the_degree(world):
    run(MentorRosterResource, world.coordinator, csv_dataset(MENTOR_HEADERS, [mentor()]))
    run(
        MentorRosterResource,
        world.coordinator,
        csv_dataset(MENTOR_HEADERS, [mentor(kind="enterprise", alumni_degree="")]),
    )
    profile = m.MentorProfile.objects.get(user__email="li.wei@example.com")
    assert (profile.kind, profile.alumni_degree) == ("enterprise", "")


def test_existing_user_becomes_a_student(world):
    """A mentor's account gets a student profile; no second account."""
    result = run(
        StudentRosterResource,
        world.coordinator,
        csv_dataset(STUDENT_HEADERS, [student(email=world.mentor.email.upper(), full_name="")]),
    )
    assert not result.has_validation_errors(), row_messages(result)
    assert world.mentor.student_profile.student_number == "2023010001"
    world.mentor.refresh_from_db()
    assert world.mentor.full_name == "Max Mentor"
    assert world.mentor.has_usable_password()
