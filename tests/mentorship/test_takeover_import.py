"""Issue 12, section 1: a roster import cannot take over, or read, a person of
another program. An import may create people and update people already in
the row's program (or only in the importer's programs); a row naming anybody
else is an error on its e-mail address, and the whole file writes nothing."""

import pytest
from django.urls import reverse

from mentorship import models as m
from mentorship.resources import MentorRosterResource, StudentRosterResource
from tests import factories as f

from .roster_files import (
    MENTOR_HEADERS,
    STUDENT_HEADERS,
    csv_bytes,
    csv_dataset,
    mentor,
    row_messages,
    run,
    student,
    table_counts,
)
from .takeover import REFUSAL_TEXT, second_program, shared_student
from .test_import_admin import STUDENT_IMPORT, upload

pytestmark = pytest.mark.django_db

A, B = "Alumni Mentor Program", "Career Coaching Program"


def person_state(user):
    """Everything an import could change about ``user``."""
    user.refresh_from_db()
    state = {
        "full_name": user.full_name,
        "language": user.preferred_language,
        "password": user.password,
        "roster": set(user.roster_entries.values_list("program__name", "role")),
    }
    for name in ("student_profile", "mentor_profile"):
        profile = getattr(user, name, None)
        if profile is not None:
            profile.refresh_from_db()
            state[name] = {
                field.name: getattr(profile, field.name) for field in profile._meta.concrete_fields
            }
    return state


# Per roster: the resource, its columns, a good row, and what a hijacking row
# would overwrite.
ROSTERS = {
    "student": (
        StudentRosterResource,
        STUDENT_HEADERS,
        lambda **values: student(statement="", **values),
        {"student_number": "HIJACK-1", "major": "Hijacking"},
    ),
    "mentor": (
        MentorRosterResource,
        MENTOR_HEADERS,
        lambda **values: mentor(capacity="", **values),
        {"organisation": "Evil Corp", "title": "Owner"},
    ),
}


@pytest.mark.parametrize(
    ("importer", "victim", "program"),
    [
        ("coordinator", "other_student", A),
        ("other_coordinator", "student", B),
        ("coordinator", "other_mentor", A),
        ("other_coordinator", "mentor", B),
    ],
)
def test_a_person_of_another_program_is_a_row_error_and_nothing_is_written(
    client, world, importer, victim, program
):
    resource, headers, make_row, hijack = ROSTERS[victim.split("_")[-1]]
    importer, victim = getattr(world, importer), getattr(world, victim)
    before, kept = table_counts(), person_state(victim)
    rows = [
        make_row(program=program, cycle=""),
        make_row(
            email=victim.email.upper(), full_name="Taken Over", program=program, cycle="", **hijack
        ),
    ]

    result = run(resource, importer, csv_dataset(headers, rows))

    assert row_messages(result) == {2: [("email", REFUSAL_TEXT)]}
    assert table_counts() == before
    assert person_state(victim) == kept
    # So the importer never reaches the person's page nor their password.
    client.force_login(importer)
    for name in ("admin:mentorship_user_change", "admin:auth_user_password_change"):
        assert client.get(reverse(name, args=[victim.pk])).status_code in (302, 404)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[victim.pk]),
        {"password1": "taken-over-2026!", "password2": "taken-over-2026!"},
    )
    assert response.status_code in (302, 404)
    assert person_state(victim) == kept


def test_the_preview_shows_the_refusal_and_nothing_stored(client, world):
    """Through the admin page: the error is listed, the person's stored
    values (name, number, major) appear nowhere."""
    profile = world.other_student.student_profile
    client.force_login(world.coordinator)
    row = {"email": world.other_student.email, "program": A}

    response = upload(client, STUDENT_IMPORT, csv_bytes(STUDENT_HEADERS, [student(), row]))

    page = response.content.decode()
    assert response.status_code == 200 and "confirm_form" not in response.context
    assert "Row 2, email: This e-mail address belongs to an account" in page
    assert "Sue Other" not in page and profile.student_number not in page
    assert not m.User.objects.filter(email="zhang.min@example.com").exists()


@pytest.mark.parametrize(
    "email",
    ["other-coordinator@example.test", "nobody-yet@example.test"],
    ids=["staff-of-another-program", "account-in-no-program"],
)
def test_staff_of_another_program_and_accounts_in_no_program_are_refused(world, email):
    loner = f.UserFactory(email="nobody-yet@example.test", full_name="Nora Nobody")
    before, kept = table_counts(), person_state(loner)

    result = run(
        MentorRosterResource,
        world.coordinator,
        csv_dataset(MENTOR_HEADERS, [mentor(email=email, full_name="Renamed")]),
    )

    assert row_messages(result) == {1: [("email", REFUSAL_TEXT)]}
    assert table_counts() == before and person_state(loner) == kept


def test_a_person_shared_with_another_program_is_updated_in_the_program_they_are_in(world):
    """On A's roster too, they may be updated through A, not placed in A2."""
    a2 = second_program(world)
    shared = shared_student(world)
    update = {"email": shared.user.email, "program": A, "major": "Economics"}
    place = {"email": shared.user.email, "program": a2.program.name, "cycle": a2.cycle.name}

    updated = run(StudentRosterResource, world.coordinator, csv_dataset(STUDENT_HEADERS, [update]))
    placed = run(StudentRosterResource, world.coordinator, csv_dataset(STUDENT_HEADERS, [place]))

    assert not updated.has_validation_errors(), row_messages(updated)
    shared.refresh_from_db()
    assert shared.major == "Economics"
    assert row_messages(placed) == {1: [("email", REFUSAL_TEXT)]}
    assert not m.Enrollment.objects.filter(student=shared, cycle=a2.cycle).exists()


def test_a_person_only_in_the_importers_programs_may_join_another_of_them(world):
    a2 = second_program(world)
    row = {
        "email": world.student.email,
        "program": a2.program.name,
        "cycle": a2.cycle.name,
        "statement": "Second program too.",
    }

    result = run(StudentRosterResource, world.coordinator, csv_dataset(STUDENT_HEADERS, [row]))

    assert not result.has_validation_errors(), row_messages(result)
    assert m.Enrollment.objects.filter(student__user=world.student, cycle=a2.cycle).exists()


def test_a_superuser_may_place_anyone(world):
    root = f.UserFactory(email="root@example.test", is_staff=True, is_superuser=True)
    row = {"email": world.other_student.email, "program": A, "major": "Statistics"}

    result = run(StudentRosterResource, root, csv_dataset(STUDENT_HEADERS, [row]))

    assert not result.has_validation_errors(), row_messages(result)
    assert m.RosterEntry.objects.filter(user=world.other_student, program=world.program).exists()


def test_the_import_page_says_who_can_be_updated(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse(STUDENT_IMPORT)).content.decode()
    assert "in the row's program already, or in your programs and no others" in page
