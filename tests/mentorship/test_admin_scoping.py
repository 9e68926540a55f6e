"""A coordinator of program A sees, opens and picks nothing of program B."""

import pytest
from django.urls import reverse

from mentorship import models as m
from programs import models as p
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairs(world):
    """For each admin model: an object of program A and one of program B."""
    other_team = f.GroupFactory(cycle=world.other_cycle, name="Industry group")
    other_member = f.GroupMembershipFactory(
        group=other_team, mentor=None, student=world.other_student.student_profile, role="student"
    )
    return {
        "programs.program": (world.program, world.other_program),
        "programs.cycle": (world.cycle, world.other_cycle),
        "mentorship.user": (world.mentor, world.other_mentor),
        "mentorship.staffrole": (
            m.StaffRole.objects.get(user=world.coordinator),
            m.StaffRole.objects.get(user=world.other_coordinator),
        ),
        "mentorship.mentorprofile": (
            world.mentor.mentor_profile,
            world.other_mentor.mentor_profile,
        ),
        "mentorship.studentprofile": (
            world.student.student_profile,
            world.other_student.student_profile,
        ),
        "mentorship.rosterentry": (
            m.RosterEntry.objects.get(user=world.mentor),
            m.RosterEntry.objects.get(user=world.other_mentor),
        ),
        "mentorship.engagement": (
            m.Engagement.objects.get(cycle=world.cycle),
            m.Engagement.objects.get(cycle=world.other_cycle),
        ),
        "mentorship.enrollment": (
            m.Enrollment.objects.get(cycle=world.cycle),
            m.Enrollment.objects.get(cycle=world.other_cycle),
        ),
        "mentorship.group": (world.team, other_team),
        "mentorship.groupmembership": (world.team.memberships.first(), other_member),
        "mentorship.guest": (
            f.GuestFactory(program=world.program, name="Grace Guest"),
            f.GuestFactory(program=world.other_program, name="Gus Other"),
        ),
    }


@pytest.fixture
def superuser(db):
    return f.UserFactory(email="root@example.test", is_staff=True, is_superuser=True)


def url(label, action, *args):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{action}", args=args)


MODELS = [
    "programs.program",
    "programs.cycle",
    "mentorship.user",
    "mentorship.staffrole",
    "mentorship.mentorprofile",
    "mentorship.studentprofile",
    "mentorship.rosterentry",
    "mentorship.engagement",
    "mentorship.enrollment",
    "mentorship.group",
    "mentorship.groupmembership",
    "mentorship.guest",
]


@pytest.mark.parametrize("label", MODELS)
def test_coordinator_changelist_shows_only_own_program(client, world, pairs, label):
    own, other = pairs[label]
    client.force_login(world.coordinator)
    response = client.get(url(label, "changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert own.pk in shown
    assert other.pk not in shown
    assert str(world.other_program) not in response.text


@pytest.mark.parametrize("label", MODELS)
def test_superuser_changelist_shows_both_programs(client, superuser, pairs, label):
    own, other = pairs[label]
    client.force_login(superuser)
    response = client.get(url(label, "changelist"))
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert {own.pk, other.pk} <= shown


@pytest.mark.parametrize("label", MODELS)
def test_other_programs_object_does_not_exist_for_coordinator(client, world, pairs, label):
    own, other = pairs[label]
    client.force_login(world.coordinator)
    assert client.get(url(label, "change", own.pk)).status_code == 200
    for action in ("change", "history", "delete"):
        response = client.get(url(label, action, other.pk), follow=True)
        # Without the delete permission Django refuses before looking the object up.
        assert response.status_code in (200, 403, 404)
        if response.status_code == 200:
            assert response.redirect_chain, action
            assert "doesn’t exist" in response.text
            assert str(other) not in response.text


@pytest.mark.parametrize(
    "label, field",
    [
        ("programs.cycle", "program"),
        ("mentorship.staffrole", "program"),
        ("mentorship.staffrole", "user"),
        ("mentorship.rosterentry", "program"),
        ("mentorship.rosterentry", "user"),
        ("mentorship.mentorprofile", "user"),
        ("mentorship.studentprofile", "user"),
        ("mentorship.engagement", "cycle"),
        ("mentorship.engagement", "mentor"),
        ("mentorship.enrollment", "cycle"),
        ("mentorship.enrollment", "student"),
        ("mentorship.group", "cycle"),
        ("mentorship.groupmembership", "group"),
        ("mentorship.groupmembership", "mentor"),
        ("mentorship.groupmembership", "student"),
        ("mentorship.guest", "program"),
    ],
)
def test_add_form_choices_hold_nothing_of_other_program(client, world, pairs, label, field):
    client.force_login(world.coordinator)
    response = client.get(url(label, "add"))
    assert response.status_code == 200
    choices = response.context["adminform"].form.fields[field].queryset
    program_field = {"program", "cycle", "group"}
    owners = {
        "program": (world.program, world.other_program),
        "cycle": (world.cycle, world.other_cycle),
        "group": (pairs["mentorship.group"]),
        "user": (world.mentor, world.other_mentor),
        "mentor": pairs["mentorship.mentorprofile"],
        "student": pairs["mentorship.studentprofile"],
    }
    own, other = owners[field]
    assert choices.filter(pk=own.pk).exists()
    assert not choices.filter(pk=other.pk).exists()
    if field in program_field:
        assert str(other) not in response.text


def test_inline_member_choices_hold_nothing_of_other_program(client, world, pairs):
    client.force_login(world.coordinator)
    response = client.get(url("mentorship.group", "change", world.team.pk))
    formset = response.context["inline_admin_formsets"][0].formset
    own, other = pairs["mentorship.studentprofile"]
    choices = formset.empty_form.fields["student"].queryset
    assert choices.filter(pk=own.pk).exists()
    assert not choices.filter(pk=other.pk).exists()


def test_user_staff_roles_inline_hides_other_programs_roles(client, world, superuser):
    f.StaffRoleFactory(user=world.mentor, program=world.other_program, role="steering")
    client.force_login(world.coordinator)
    response = client.get(url("mentorship.user", "change", world.mentor.pk))
    assert response.status_code == 200
    assert str(world.other_program) not in response.text


def test_picking_other_programs_cycle_is_rejected(client, world, pairs):
    client.force_login(world.coordinator)
    mentor = world.mentor.mentor_profile
    before = m.Engagement.objects.count()
    response = client.post(
        url("mentorship.engagement", "add"),
        {"mentor": mentor.pk, "cycle": world.other_cycle.pk, "capacity": 4, "status": "invited"},
    )
    assert response.status_code == 200
    assert "cycle" in response.context["adminform"].form.errors
    assert m.Engagement.objects.count() == before


def test_picking_other_programs_student_is_rejected(client, world):
    client.force_login(world.coordinator)
    before = m.GroupMembership.objects.count()
    response = client.post(
        url("mentorship.groupmembership", "add"),
        {
            "group": world.team.pk,
            "role": "student",
            "student": world.other_student.student_profile.pk,
        },
    )
    assert response.status_code == 200
    assert "student" in response.context["adminform"].form.errors
    assert m.GroupMembership.objects.count() == before


def test_picking_other_program_for_cycle_is_rejected(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        url("programs.cycle", "add"),
        {
            "program": world.other_program.pk,
            "name": "2030",
            "starts_on": "2030-09-01",
            "ends_on": "2031-07-31",
        },
    )
    assert response.status_code == 200
    assert "program" in response.context["adminform"].form.errors
    assert not p.Cycle.objects.filter(name="2030").exists()


def test_granting_a_role_in_other_program_is_rejected(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        url("mentorship.staffrole", "add"),
        {"user": world.mentor.pk, "program": world.other_program.pk, "role": "coordinator"},
    )
    assert response.status_code == 200
    assert "program" in response.context["adminform"].form.errors
    assert not m.StaffRole.objects.filter(user=world.mentor).exists()


def test_changing_other_programs_object_by_post_changes_nothing(client, world, pairs):
    other = pairs["mentorship.engagement"][1]
    client.force_login(world.coordinator)
    client.post(
        url("mentorship.engagement", "change", other.pk),
        {"mentor": other.mentor_id, "cycle": other.cycle_id, "capacity": 5, "status": "ended"},
    )
    other.refresh_from_db()
    assert (other.capacity, other.status) == (4, "accepted")


def autocomplete(client, model_name, field_name, app_label="mentorship", term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


@pytest.mark.parametrize(
    "model_name, field_name, kind",
    [
        ("engagement", "mentor", "mentorship.mentorprofile"),
        ("enrollment", "student", "mentorship.studentprofile"),
        ("groupmembership", "group", "mentorship.group"),
        ("groupmembership", "student", "mentorship.studentprofile"),
        ("staffrole", "user", "mentorship.user"),
        ("rosterentry", "user", "mentorship.user"),
        ("engagement", "cycle", "programs.cycle"),
        ("staffrole", "program", "programs.program"),
    ],
)
def test_autocomplete_returns_nothing_of_other_program(
    client, world, pairs, model_name, field_name, kind
):
    own, other = pairs[kind]
    client.force_login(world.coordinator)
    found = autocomplete(client, model_name, field_name)
    assert own.pk in found
    assert other.pk not in found
    assert other.pk not in autocomplete(client, model_name, field_name, term=str(other)[:4])


def test_autocomplete_offers_steered_programs_nothing_to_pick(client, world, pairs):
    # A coordinator of A who also steers B may look at B, not pick from it.
    f.StaffRoleFactory(user=world.coordinator, program=world.other_program, role="steering")
    client.force_login(world.coordinator)
    found = autocomplete(client, "engagement", "cycle")
    assert world.cycle.pk in found
    assert world.other_cycle.pk not in found


def test_list_filters_name_no_other_program(client, world, pairs):
    client.force_login(world.coordinator)
    for label in ("mentorship.engagement", "mentorship.groupmembership", "mentorship.user"):
        response = client.get(url(label, "changelist"))
        assert str(world.program) in response.text
        assert str(world.other_program) not in response.text


def test_filtering_by_other_program_is_ignored(client, world, pairs):
    client.force_login(world.coordinator)
    response = client.get(
        url("mentorship.mentorprofile", "changelist"), {"program": world.other_program.pk}
    )
    assert list(response.context["cl"].result_list) == [world.mentor.mentor_profile]


def test_program_filter_narrows_people_to_that_program(client, superuser, world, pairs):
    client.force_login(superuser)
    response = client.get(url("mentorship.user", "changelist"), {"program": world.program.pk})
    shown = set(response.context["cl"].result_list)
    assert {world.mentor, world.student, world.coordinator, world.steering} <= shown
    assert world.other_mentor not in shown


class TestSteering:
    def test_sees_steered_program_without_changing_it(self, client, world):
        client.force_login(world.steering)
        response = client.get(url("programs.cycle", "change", world.cycle.pk))
        assert response.status_code == 200
        assert 'name="_save"' not in response.text
        response = client.post(
            url("programs.cycle", "change", world.cycle.pk),
            {"name": "renamed", "starts_on": "2026-09-01", "ends_on": "2027-07-31"},
        )
        assert response.status_code == 403
        world.cycle.refresh_from_db()
        assert world.cycle.name == "2026-2027"

    def test_sees_nothing_of_other_program(self, client, world, pairs):
        client.force_login(world.steering)
        response = client.get(url("mentorship.group", "changelist"))
        assert set(response.context["cl"].result_list) == {world.team}
        response = client.get(url("programs.cycle", "change", world.other_cycle.pk), follow=True)
        assert "doesn’t exist" in response.text

    def test_coordinator_who_steers_other_program_cannot_delete_there(self, client, world, pairs):
        f.StaffRoleFactory(user=world.coordinator, program=world.other_program, role="steering")
        other_guest = pairs["mentorship.guest"][1]
        client.force_login(world.coordinator)
        response = client.get(url("mentorship.guest", "change", other_guest.pk))
        assert response.status_code == 200
        assert 'name="_save"' not in response.text
        client.post(
            url("mentorship.guest", "changelist"),
            {"action": "delete_selected", "_selected_action": [other_guest.pk], "post": "yes"},
        )
        assert m.Guest.objects.filter(pk=other_guest.pk).exists()


@pytest.mark.parametrize(
    "changelist", ["matchingrun", "match", "studentpreference", "mentorpreference"]
)
def test_matching_records_are_scoped_and_read_only(client, world, changelist):
    from mentorship.models import Match, MentorPreference, StudentPreference

    rows = {}
    for program_cycle, label in ((world.cycle, "A"), (world.other_cycle, "B")):
        engagement = f.EngagementFactory(
            cycle=program_cycle, mentor__user__full_name=f"Mentor {label}"
        )
        enrollment = f.EnrollmentFactory(
            cycle=program_cycle, student__user__full_name=f"Student {label}"
        )
        rows[label] = {
            "studentpreference": StudentPreference.objects.create(
                enrollment=enrollment, engagement=engagement, rank=1
            ),
            "mentorpreference": MentorPreference.objects.create(
                engagement=engagement, enrollment=enrollment, rank=1
            ),
            "match": Match.objects.create(
                enrollment=enrollment,
                engagement=engagement,
                source="manual",
                reason="by hand",
                created_by=world.coordinator,
            ),
            "matchingrun": f.MatchingRunFactory(cycle=program_cycle, created_by=world.coordinator),
        }
    client.force_login(world.coordinator)
    response = client.get(reverse(f"admin:mentorship_{changelist}_changelist"))
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown == [rows["A"][changelist]]
    other = rows["B"][changelist]
    response = client.get(reverse(f"admin:mentorship_{changelist}_change", args=[other.pk]))
    assert response.status_code in (302, 404)
    own = rows["A"][changelist]
    response = client.post(reverse(f"admin:mentorship_{changelist}_change", args=[own.pk]), {})
    assert response.status_code == 403 or not response.context["has_change_permission"]
    assert client.get(reverse(f"admin:mentorship_{changelist}_add")).status_code == 403
    client.force_login(world.student)
    response = client.get(reverse(f"admin:mentorship_{changelist}_changelist"))
    assert response.status_code == 302
