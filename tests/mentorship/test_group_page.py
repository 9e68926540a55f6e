"""The group page: who may see it, what they see, and whose contacts."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Group
from mentorship.permissions import get_group_for_user
from programs.models import GroupContacts
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    """The persona team with a second coach, a second student and a guest."""
    team = world.team
    team.focus = "Corporate finance"
    team.sponsoring_organisation = "Huaxin Bank"
    team.save()
    coach = f.MentorProfileFactory(
        user__full_name="Cleo Coach", user__email="cleo@example.test", user__phone="139 0000"
    )
    f.GroupMembershipFactory(group=team, mentor=coach, role="coach")
    peer = f.StudentProfileFactory(
        user__full_name="Pia Peer", user__email="pia@example.test", user__phone="138 1111"
    )
    f.GroupMembershipFactory(group=team, mentor=None, student=peer, role="student")
    team.guests.add(
        f.GuestFactory(program=world.program, name="Gail Guest", email="gail@example.test")
    )
    return team


def url(group):
    return reverse("group_detail", args=[group.pk])


@pytest.mark.parametrize("persona", ["mentor", "student", "coordinator", "steering"])
def test_members_and_program_staff_see_the_page(client, world, team, persona):
    client.force_login(getattr(world, persona))
    response = client.get(url(team))
    assert response.status_code == 200
    page = response.text
    for text in ("Finance team", "Corporate finance", "Huaxin Bank", "Gail Guest", "Pia Peer"):
        assert text in page
    names = [row.person.full_name for row in response.context["members"]]
    # Leaders first, then coaches, then students by name.
    assert names == ["Max Mentor", "Cleo Coach", "Pia Peer", "Stu Student"]


@pytest.mark.parametrize("persona, sees", [("mentor", True), ("student", False)])
def test_only_leaders_get_the_dashboard_link(client, world, team, persona, sees):
    client.force_login(getattr(world, persona))
    page = client.get(url(team)).text
    assert (reverse("group_dashboard", args=[team.pk]) in page) is sees


@pytest.mark.parametrize(
    "persona", ["other_coordinator", "other_mentor", "other_student", "outsider"]
)
def test_everyone_else_gets_404(client, world, team, persona):
    user = f.UserFactory() if persona == "outsider" else getattr(world, persona)
    client.force_login(user)
    assert client.get(url(team)).status_code == 404


def test_anonymous_goes_to_login(client, team):
    response = client.get(url(team))
    assert response.status_code == 302 and "/login/" in response.url


def test_a_former_group_of_the_same_program_is_hidden_from_non_members(client, world, team):
    other_team = f.GroupFactory(cycle=world.cycle, name="Law team")
    client.force_login(world.student)
    assert client.get(url(other_team)).status_code == 404


def test_write_access_is_for_the_programs_coordinators(world, team):
    assert get_group_for_user(world.coordinator, team.pk, write=True) == team
    for persona in ("steering", "mentor", "student"):
        with pytest.raises(PermissionDenied):
            get_group_for_user(getattr(world, persona), team.pk, write=True)
    with pytest.raises(Http404):
        get_group_for_user(world.other_coordinator, team.pk, write=True)


def test_visible_to(world, team):
    other = f.GroupFactory(cycle=world.other_cycle)
    assert set(Group.objects.visible_to(world.student)) == {team}
    assert set(Group.objects.visible_to(world.coordinator)) == {team}
    assert set(Group.objects.visible_to(world.other_coordinator)) == {other}


def contacts(client, viewer, team):
    client.force_login(viewer)
    response = client.get(url(team))
    shown = {row.person.full_name for row in response.context["members"] if row.show_contacts}
    return shown, response.context["guests_contacts"], response.text


EVERYONE = {"Max Mentor", "Cleo Coach", "Pia Peer", "Stu Student"}
COACHES = {"Max Mentor", "Cleo Coach"}


@pytest.mark.parametrize(
    "policy, persona, expected, guests",
    [
        (GroupContacts.NAMES, "student", {"Stu Student"}, False),
        (GroupContacts.NAMES, "mentor", {"Max Mentor"}, False),
        (GroupContacts.LEADERS, "student", COACHES | {"Stu Student"}, True),
        (GroupContacts.LEADERS, "mentor", EVERYONE, True),
        (GroupContacts.EVERYONE, "student", EVERYONE, True),
        (GroupContacts.NAMES, "coordinator", EVERYONE, True),
        (GroupContacts.NAMES, "steering", EVERYONE, True),
    ],
)
def test_contacts_follow_the_program_setting(
    client, world, team, policy, persona, expected, guests
):
    world.program.group_contacts = policy
    world.program.save(update_fields=["group_contacts"])
    shown, guests_shown, page = contacts(client, getattr(world, persona), team)
    assert shown == expected
    assert guests_shown is guests
    assert ("pia@example.test" in page) is ("Pia Peer" in expected)
    assert ("139 0000" in page) is ("Cleo Coach" in expected)
    assert ("gail@example.test" in page) is guests


def test_group_admin_links_to_the_page(client, world, team):
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:mentorship_group_change", args=[team.pk]))
    assert "View on site" in response.text
    assert f'href="{url(team)}"' in response.text


def test_home_pages_link_to_the_group(client, world, team):
    for persona, home in (("mentor", "mentor_home"), ("student", "student_home")):
        client.force_login(getattr(world, persona))
        assert url(team) in client.get(reverse(home)).text


@pytest.mark.parametrize("persona", ["student", "coordinator"])
def test_query_count_does_not_grow(client, world, team, persona):
    client.force_login(getattr(world, persona))

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(team)).status_code == 200
        return len(queries)

    small = measure()
    for _ in range(8):
        f.GroupMembershipFactory(group=team, role="coach")
        f.GroupMembershipFactory(
            group=team, mentor=None, student=f.StudentProfileFactory(), role="student"
        )
        f.GroupPlacementFactory(group=team)  # shown to the staff only
        student = f.StudentProfileFactory()
        f.GroupMembershipFactory(group=team, mentor=None, student=student, role="student")
        f.MatchFactory(
            enrollment=f.EnrollmentFactory(student=student, cycle=team.cycle),
            published_at=timezone.now(),
        )
        team.guests.add(f.GuestFactory(program=world.program))
    assert measure() == small


def test_a_teams_students_show_whose_students_they_are(client, world, team):
    enrollment = world.student.student_profile.enrollments.get(cycle=world.cycle)
    engagement = world.mentor.mentor_profile.engagements.get(cycle=world.cycle)
    match = f.MatchFactory(enrollment=enrollment, engagement=engagement)
    client.force_login(world.student)
    assert "Student of" not in client.get(url(team)).text  # not published yet
    match.published_at = match.created_at
    match.save(update_fields=["published_at"])
    page = client.get(url(team)).text
    assert f"Student of {world.mentor.full_name}" in page
    assert page.count("Student of") == 1  # Pia Peer has no mentor in the cycle
