"""Issue 12, section 1: every admin form that puts an existing person into a
program keeps to mentorship.reach. A person of another program cannot be
chosen, even by posting their id (the choice lists are scoped); a person who
is also in a program the coordinator does not run can be placed only where
they already are."""

import pytest
from django.urls import reverse

from mentorship import models as m
from sessions_app.models import Activity
from tests import factories as f

from .takeover import REFUSAL_TEXT, second_program, shared_mentor, shared_student

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "Select a valid choice"


def counts():
    models = (
        m.RosterEntry,
        m.StaffRole,
        m.Engagement,
        m.Enrollment,
        m.MentorProfile,
        m.StudentProfile,
        m.GroupMembership,
        m.User,
        Activity,
    )
    return {model.__name__: model.objects.count() for model in models}


def roster_entry(person, program, cycle):
    return "rosterentry", "user", {"user": person.pk, "program": program.pk, "role": "student"}


def staff_role(person, program, cycle):
    return "staffrole", "user", {"user": person.pk, "program": program.pk, "role": "steering"}


def engagement(person, program, cycle):
    data = {"mentor": person.mentor_profile.pk, "cycle": cycle.pk, "capacity": 4}
    return "engagement", "mentor", {**data, "status": "invited"}


def enrollment(person, program, cycle):
    data = {"student": person.student_profile.pk, "cycle": cycle.pk, "status": "applied"}
    return "enrollment", "student", data


PLACEMENTS = [roster_entry, staff_role, engagement, enrollment]
# Who can be posted to each placement: an engagement needs a mentor profile,
# an enrollment a student profile.
MENTOR_PLACEMENTS = [roster_entry, staff_role, engagement]
STUDENT_PLACEMENTS = [roster_entry, staff_role, enrollment]


def post_add(client, model_name, data):
    return client.post(reverse(f"admin:mentorship_{model_name}_add"), data)


@pytest.mark.parametrize(
    ("actor", "victim", "placement"),
    [
        *(("coordinator", "other_mentor", p) for p in MENTOR_PLACEMENTS),
        *(("coordinator", "other_student", p) for p in STUDENT_PLACEMENTS),
        *(("other_coordinator", "mentor", p) for p in MENTOR_PLACEMENTS),
        *(("other_coordinator", "student", p) for p in STUDENT_PLACEMENTS),
    ],
)
def test_a_posted_id_of_another_programs_person_is_refused(client, world, actor, victim, placement):
    actor = getattr(world, actor)
    mine = world.program if actor == world.coordinator else world.other_program
    cycle = mine.cycles.get()
    model_name, field, data = placement(getattr(world, victim), mine, cycle)
    client.force_login(actor)
    before = counts()

    response = post_add(client, model_name, data)

    assert response.status_code == 200
    assert INVALID_CHOICE in str(response.context["adminform"].form.errors[field])
    assert counts() == before


@pytest.mark.parametrize(
    ("make_person", "placement"),
    [
        *((shared_mentor, p) for p in MENTOR_PLACEMENTS),
        *((shared_student, p) for p in STUDENT_PLACEMENTS),
    ],
)
def test_a_person_also_in_another_program_stays_out_of_the_coordinators_other_programs(
    client, world, make_person, placement
):
    a2 = second_program(world)
    person = make_person(world).user
    model_name, field, data = placement(person, a2.program, a2.cycle)
    client.force_login(world.coordinator)
    before = counts()

    response = post_add(client, model_name, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [REFUSAL_TEXT]
    assert counts() == before


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_a_person_of_the_coordinators_programs_only_may_join_another_of_them(
    client, world, placement
):
    a2 = second_program(world)
    person = world.mentor if placement is engagement else world.student
    model_name, field, data = placement(person, a2.program, a2.cycle)
    client.force_login(world.coordinator)

    response = post_add(client, model_name, data)

    assert response.status_code == 302, response.context["adminform"].form.errors


def test_the_staff_role_inline_keeps_to_the_rule(client, world):
    a2 = second_program(world)
    person = shared_student(world).user
    client.force_login(world.coordinator)
    data = {
        "full_name": person.full_name,
        "preferred_language": "en",
        "is_active": "on",
        "staff_roles-TOTAL_FORMS": 1,
        "staff_roles-INITIAL_FORMS": 0,
        "staff_roles-0-program": a2.program.pk,
        "staff_roles-0-role": "coordinator",
    }

    response = client.post(reverse("admin:mentorship_user_change", args=[person.pk]), data)

    assert response.status_code == 200
    (errors,) = [form.errors for form in response.context["inline_admin_formsets"][0].formset]
    assert errors == {"program": [REFUSAL_TEXT]}
    assert not person.staff_roles.exists()


@pytest.mark.parametrize(
    ("model_name", "data"),
    [
        ("mentorprofile", {"kind": "enterprise", "organisation": "Evil Corp"}),
        ("studentprofile", {"student_number": "HIJACK-1", "degree_level": "master", "year": 1}),
    ],
)
def test_a_profile_cannot_be_added_to_another_programs_person(client, world, model_name, data):
    loner = f.UserFactory(email="b-only@example.test")
    f.RosterEntryFactory(user=loner, program=world.other_program, role="mentor")
    client.force_login(world.coordinator)
    before = counts()

    response = post_add(client, model_name, {**data, "user": loner.pk})

    assert INVALID_CHOICE in str(response.context["adminform"].form.errors["user"])
    assert counts() == before


@pytest.mark.parametrize(
    ("actor", "group", "member"),
    [("coordinator", "team", "other_mentor"), ("other_coordinator", "other_team", "mentor")],
)
def test_a_group_cannot_take_in_another_programs_mentor(client, world, actor, group, member):
    world.other_team = f.GroupFactory(cycle=world.other_cycle, kind="industry")
    profile = getattr(world, member).mentor_profile
    client.force_login(getattr(world, actor))
    before = counts()

    response = post_add(
        client,
        "groupmembership",
        {"group": getattr(world, group).pk, "role": "coach", "mentor": profile.pk},
    )

    assert INVALID_CHOICE in str(response.context["adminform"].form.errors["mentor"])
    assert counts() == before


def test_an_activity_invitation_keeps_to_the_rule(client, world):
    a2 = second_program(world)
    person = shared_student(world).user
    client.force_login(world.coordinator)
    before = counts()
    data = {
        "cycle": a2.cycle.pk,
        "kind": "exchange_salon",
        "title": "Salon of A2",
        "starts_at_0": "2030-09-10",
        "starts_at_1": "14:00",
        "ends_at_0": "2030-09-10",
        "ends_at_1": "17:00",
        "place": "Hall",
        "capacity": "",
        "invitations-TOTAL_FORMS": "1",
        "invitations-INITIAL_FORMS": "0",
        "invitations-0-user": person.pk,
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("admin:sessions_app_activity_add"), data)

    assert response.status_code == 200
    (errors,) = [form.errors for form in response.context["inline_admin_formsets"][0].formset]
    assert errors == {"user": [REFUSAL_TEXT]}
    assert counts() == before


@pytest.mark.parametrize(
    ("actor", "victim"),
    [("coordinator", "other_student"), ("other_coordinator", "student")],
)
def test_adding_a_person_with_a_known_address_changes_nothing(client, world, actor, victim):
    person = getattr(world, victim)
    client.force_login(getattr(world, actor))
    program = world.program if actor == "coordinator" else world.other_program
    before, name = counts(), person.full_name

    response = client.post(
        reverse("admin:mentorship_user_add"),
        {
            "email": person.email.upper(),
            "full_name": "Taken Over",
            "preferred_language": "en",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase-2026",
            "password2": "a-long-enough-passphrase-2026",
            "program": program.pk,
            "placement": "student",
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert counts() == before
    person.refresh_from_db()
    assert person.full_name == name
