"""Group rules: the checking function, and the group admin that applies it."""

import pytest
from django.urls import reverse

from mentorship.group_rules import check_group, group_rule_problems, rule_for
from mentorship.models import Group, GroupMembership
from programs.models import GroupKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def problems(program, kind, **counts):
    roles = [role for role, count in counts.items() for _ in range(count)]
    rule = rule_for(program_id=program.pk, kind=kind)
    return [(p.message, p.blocking) for p in group_rule_problems(rule=rule, kind=kind, roles=roles)]


def test_minimum_of_coaches_warns(world):
    assert problems(world.other_program, GroupKind.INDUSTRY, chief=1, coach=3) == [
        ("An industry group needs at least 5 coaches; it has 4.", False)
    ]


def test_a_group_within_the_rules_has_no_problem(world):
    assert problems(world.other_program, GroupKind.ENTERPRISE, chief=1, coach=5, student=20) == []
    assert problems(world.other_program, GroupKind.PERSONALIZED, leading=2, coach=3) == []


def test_maxima_block(world):
    assert problems(world.other_program, GroupKind.PERSONALIZED, leading=3) == [
        ("A personalized group has at most 2 leading coaches; it has 3.", True)
    ]
    assert (
        "A personalized group has at most 5 coaches; it has 6.",
        True,
    ) in problems(world.other_program, GroupKind.PERSONALIZED, leading=1, coach=5)
    assert (
        "An enterprise group takes at most 20 students; it has 21.",
        True,
    ) in problems(world.other_program, GroupKind.ENTERPRISE, chief=1, coach=5, student=21)


def test_leader_of_the_wrong_kind_blocks_and_missing_leader_warns(world):
    assert problems(world.other_program, GroupKind.INDUSTRY, leading=1, coach=4) == [
        ("An industry group is led by a chief coach, not by leading coaches.", True),
        ("An industry group needs a chief coach; it has none.", False),
    ]
    assert problems(world.other_program, GroupKind.PERSONALIZED, chief=1) == [
        ("A personalized group is led by leading coaches, not by a chief coach.", True),
        ("A personalized group needs a leading coach; it has none.", False),
    ]


def test_a_kind_the_program_does_not_allow_blocks(world):
    assert problems(world.program, GroupKind.INDUSTRY, chief=1) == [
        ("The program does not allow groups of this kind.", True)
    ]


def test_check_group_reads_the_saved_members(world):
    # The persona team has one chief and one student: a team needs three mentors.
    assert [p.message for p in check_group(group=world.team)] == [
        "A mentor team needs at least 3 coaches; it has 1."
    ]


# The admin ---------------------------------------------------------------


def coaches(world, count):
    mentors = []
    for _ in range(count):
        mentor = f.MentorProfileFactory()
        f.EngagementFactory(mentor=mentor, cycle=world.other_cycle)
        mentors.append(mentor)
    return mentors


def group_post(world, *, kind, members, guests=(), name="Energy industry group"):
    data = {
        "cycle": world.other_cycle.pk,
        "kind": kind,
        "name": name,
        "focus": "Energy",
        "sponsoring_organisation": "Dongfang Green Power",
        "description": "",
        "guests": [guest.pk for guest in guests],
        "memberships-TOTAL_FORMS": len(members),
        "memberships-INITIAL_FORMS": 0,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for i, (role, mentor) in enumerate(members):
        data[f"memberships-{i}-role"] = role
        data[f"memberships-{i}-mentor"] = mentor.pk
    return data


ADD = "admin:mentorship_group_add"


def test_admin_blocks_too_many_leaders_with_a_clear_message(client, world):
    client.force_login(world.other_coordinator)
    members = [("leading", m) for m in coaches(world, 3)]
    response = client.post(
        reverse(ADD), group_post(world, kind=GroupKind.PERSONALIZED, members=members)
    )
    assert response.status_code == 200
    assert "A personalized group has at most 2 leading coaches; it has 3." in response.text
    assert not Group.objects.filter(cycle=world.other_cycle).exists()


def test_admin_saves_a_group_being_formed_with_a_warning(client, world):
    client.force_login(world.other_coordinator)
    mentors = coaches(world, 4)
    members = [("chief", mentors[0])] + [("coach", m) for m in mentors[1:]]
    guest = f.GuestFactory(program=world.other_program)
    response = client.post(
        reverse(ADD),
        group_post(world, kind=GroupKind.INDUSTRY, members=members, guests=[guest]),
        follow=True,
    )
    assert "An industry group needs at least 5 coaches; it has 4." in response.text
    group = Group.objects.get(cycle=world.other_cycle)
    assert group.sponsoring_organisation == "Dongfang Green Power"
    assert list(group.guests.all()) == [guest]
    assert GroupMembership.objects.filter(group=group).count() == 4


@pytest.mark.parametrize(("places", "saved"), [(21, False), (20, True), ("", True)])
def test_admin_keeps_places_within_the_rules_maximum_of_students(client, world, places, saved):
    client.force_login(world.other_coordinator)
    mentors = coaches(world, 5)
    members = [("chief", mentors[0])] + [("coach", m) for m in mentors[1:]]
    data = group_post(world, kind=GroupKind.INDUSTRY, members=members) | {"capacity": places}
    response = client.post(reverse(ADD), data)
    assert Group.objects.filter(cycle=world.other_cycle).exists() == saved
    if not saved:
        assert "An industry group takes at most 20 students; it offers 21 places." in (
            response.text
        )


def test_admin_refuses_a_guest_of_another_program(client, world):
    client.force_login(world.other_coordinator)
    f.StaffRoleFactory(user=world.other_coordinator, program=world.program, role="coordinator")
    stranger = f.GuestFactory(program=world.program, name="Guest Elsewhere")
    mentors = coaches(world, 5)
    members = [("chief", mentors[0])] + [("coach", m) for m in mentors[1:]]
    response = client.post(
        reverse(ADD),
        group_post(world, kind=GroupKind.INDUSTRY, members=members, guests=[stranger]),
    )
    assert response.status_code == 200
    assert "Only guests of the group&#x27;s program can be attached" in response.text
    assert "Guest Elsewhere" in response.text
    assert not Group.objects.filter(cycle=world.other_cycle).exists()


def test_guest_choices_hold_nothing_of_other_program(client, world):
    own = f.GuestFactory(program=world.program)
    other = f.GuestFactory(program=world.other_program)
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:mentorship_group_change", args=[world.team.pk]))
    choices = response.context["adminform"].form.fields["guests"].queryset
    assert choices.filter(pk=own.pk).exists()
    assert not choices.filter(pk=other.pk).exists()


def test_membership_page_keeps_the_rules(client, world):
    group = f.GroupFactory(cycle=world.other_cycle, kind=GroupKind.INDUSTRY, name="Industry")
    client.force_login(world.other_coordinator)
    (mentor,) = coaches(world, 1)
    response = client.post(
        reverse("admin:mentorship_groupmembership_add"),
        {"group": group.pk, "role": "leading", "mentor": mentor.pk},
    )
    assert response.status_code == 200
    assert "An industry group is led by a chief coach, not by leading coaches." in response.text
    assert not GroupMembership.objects.filter(group=group).exists()


def test_group_changelist_shows_leaders_and_counts(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:mentorship_group_changelist"))
    assert "Max Mentor" in response.text


def test_admin_refuses_a_member_outside_the_groups_cycle(client, world):
    client.force_login(world.other_coordinator)
    mentors = coaches(world, 5)
    outsider = f.MentorProfileFactory(user__full_name="Otto Outside")
    f.EngagementFactory(
        mentor=outsider, cycle=f.CycleFactory(program=world.other_program, name="2025")
    )
    members = [("chief", mentors[0])] + [("coach", m) for m in [*mentors[1:], outsider]]
    response = client.post(
        reverse(ADD), group_post(world, kind=GroupKind.INDUSTRY, members=members)
    )
    assert response.status_code == 200
    assert "Otto Outside takes no part in the group&#x27;s cycle." in response.text
    assert not Group.objects.filter(cycle=world.other_cycle).exists()
