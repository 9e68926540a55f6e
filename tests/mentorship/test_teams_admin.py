"""The "Teams of mentors" admin page on a cycle: suggest, edit, save, re-save."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Group, GroupMembership, GroupRole, Match
from programs.models import GroupKind, GroupRule
from tests import factories as f

pytestmark = pytest.mark.django_db


def add_matched(cycle, by, *, mentors, discipline="Law", students=2):
    engagements = []
    for i in range(mentors):
        engagement = f.EngagementFactory(
            cycle=cycle, mentor__discipline=discipline, mentor__industry=f"Industry {i % 2}"
        )
        for _ in range(students):
            Match.objects.create(
                enrollment=f.EnrollmentFactory(cycle=cycle),
                engagement=engagement,
                source="manual",
                reason="Placed by hand",
                created_by=by,
                published_at=timezone.now(),
            )
        engagements.append(engagement)
    return engagements


@pytest.fixture
def cycle(world):
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage="kick_off")
    add_matched(cycle, world.coordinator, mentors=3, discipline="Law")
    add_matched(cycle, world.coordinator, mentors=3, discipline="Accounting")
    f.EngagementFactory(cycle=cycle)  # accepted, no students: not in a team
    return cycle


def url(cycle):
    return reverse("admin:mentorship_group_teams", args=[cycle.pk])


def post_data(page):
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {key: value for key, value in data.items() if value is not None}


def team_members(cycle):
    return {
        group.name: sorted((m.role, str(m.mentor or m.student)) for m in group.memberships.all())
        for group in Group.objects.filter(cycle=cycle, kind=GroupKind.MENTOR_TEAM)
    }


def test_suggestion_groups_disciplines_and_saves_with_students(client, world, cycle):
    client.force_login(world.coordinator)
    page = client.get(url(cycle))
    assert page.status_code == 200
    assert "nothing is saved yet" in page.text
    teams = [team for team in page.context["form"].teams() if team["rows"]]
    assert len(teams) == 2
    for team in teams:
        assert len({e.mentor.discipline for e, _ in team["rows"]}) == 1

    response = client.post(url(cycle), post_data(page), follow=True)
    assert "The teams are saved." in response.text
    groups = Group.objects.filter(cycle=cycle, kind=GroupKind.MENTOR_TEAM)
    assert groups.count() == 2
    for group in groups:
        roles = sorted(group.memberships.values_list("role", flat=True))
        assert roles == ["coach"] * 3 + ["student"] * 6
        mentors = group.memberships.filter(mentor__isnull=False).values("mentor")
        students = group.memberships.filter(student__isnull=False).values("student")
        # Students follow their own mentor.
        assert set(students.values_list("student", flat=True)) == set(
            Match.objects.filter(engagement__mentor__in=mentors).values_list(
                "enrollment__student", flat=True
            )
        )
    assert "These are the saved teams." in client.get(url(cycle)).text


def test_moving_and_renaming_then_resaving_has_no_duplicates(client, world, cycle):
    client.force_login(world.coordinator)
    client.post(url(cycle), post_data(client.get(url(cycle))))
    page = client.get(url(cycle))
    data = post_data(page)
    first_team = page.context["form"].teams()[0]
    moved = first_team["rows"][0][0]
    data[f"mentor_{moved.pk}"] = 3  # a new team
    data["name_3"] = "Team C"
    data["name_1"], data["name_2"] = data["name_2"], data["name_1"]  # swap names
    response = client.post(url(cycle), data, follow=True)
    assert "The teams are saved." in response.text
    assert "needs at least 3 coaches; it has 2" in response.text  # a warning, saved anyway
    groups = list(Group.objects.filter(cycle=cycle, kind=GroupKind.MENTOR_TEAM).order_by("pk"))
    assert [g.name for g in groups] == [data["name_1"], data["name_2"], "Team C"]
    assert groups[2].memberships.filter(mentor=moved.mentor).exists()
    assert groups[2].memberships.filter(student__isnull=False).count() == 2
    assert groups[0].memberships.filter(student__isnull=False).count() == 4
    before = team_members(cycle)
    client.post(url(cycle), post_data(client.get(url(cycle))))
    assert team_members(cycle) == before
    assert GroupMembership.objects.filter(group__cycle=cycle).count() == 6 + 12


def test_a_team_emptied_is_removed(client, world, cycle):
    client.force_login(world.coordinator)
    client.post(url(cycle), post_data(client.get(url(cycle))))
    page = client.get(url(cycle))
    data = post_data(page)
    second = page.context["form"].teams()[1]
    for engagement, _field in second["rows"]:
        data[f"mentor_{engagement.pk}"] = 3
    data["name_3"] = "Renamed"
    response = client.post(url(cycle), data, follow=True)
    assert "The teams are saved." in response.text
    names = set(Group.objects.filter(cycle=cycle).values_list("name", flat=True))
    assert names == {data["name_1"], "Renamed"}  # the emptied second team is gone
    assert GroupMembership.objects.filter(group__cycle=cycle).count() == 18


def test_a_page_built_before_another_save_is_refused(client, world, cycle):
    client.force_login(world.coordinator)
    stale = post_data(client.get(url(cycle)))
    client.post(url(cycle), stale)
    response = client.post(url(cycle), stale)
    assert "The teams were changed meanwhile" in response.text
    assert Group.objects.filter(cycle=cycle).count() == 2


def test_members_added_by_hand_stay_and_count(client, world, cycle):
    client.force_login(world.coordinator)
    client.post(url(cycle), post_data(client.get(url(cycle))))
    first = Group.objects.filter(cycle=cycle).order_by("pk").first()
    guest_student = f.EnrollmentFactory(cycle=cycle).student
    f.GroupMembershipFactory(group=first, mentor=None, student=guest_student, role="student")
    response = client.post(url(cycle), post_data(client.get(url(cycle))), follow=True)
    assert "The teams are saved." in response.text
    assert first.memberships.filter(student=guest_student).exists()

    extra = f.EngagementFactory(cycle=cycle).mentor
    f.GroupMembershipFactory(group=first, mentor=extra, role="coach")
    response = client.post(url(cycle), post_data(client.get(url(cycle))))
    assert "A mentor team has at most 3 coaches; it has 4." in response.text


def test_a_team_above_the_maximum_is_refused(client, world, cycle):
    client.force_login(world.coordinator)
    page = client.get(url(cycle))
    data = post_data(page)
    for name in data:
        if name.startswith("mentor_"):
            data[name] = 1
    response = client.post(url(cycle), data)
    assert response.status_code == 200
    assert "A mentor team has at most 3 coaches; it has 6." in response.text
    assert not Group.objects.filter(cycle=cycle, kind=GroupKind.MENTOR_TEAM).exists()


def test_a_team_without_a_name_is_refused(client, world, cycle):
    client.force_login(world.coordinator)
    data = post_data(client.get(url(cycle)))
    data["name_1"] = " "
    response = client.post(url(cycle), data)
    assert "A team with mentors needs a name." in response.text
    assert not Group.objects.filter(cycle=cycle, kind=GroupKind.MENTOR_TEAM).exists()


def test_a_name_taken_by_another_group_is_refused(client, world, cycle):
    f.GroupFactory(cycle=cycle, name="Taken", kind=GroupKind.MENTOR_TEAM)
    Group.objects.filter(name="Taken").update(kind=GroupKind.ENTERPRISE)
    client.force_login(world.coordinator)
    data = post_data(client.get(url(cycle)))
    data["name_1"] = "Taken"
    response = client.post(url(cycle), data)
    assert "already has a group named Taken" in response.text
    assert not Group.objects.filter(cycle=cycle, kind=GroupKind.MENTOR_TEAM).exists()


def test_steering_reads_but_cannot_save(client, world, cycle):
    client.force_login(world.coordinator)
    data = post_data(client.get(url(cycle)))
    client.force_login(world.steering)
    page = client.get(url(cycle))
    assert page.status_code == 200
    assert "Save the teams" not in page.text
    assert client.post(url(cycle), data).status_code == 403
    assert not Group.objects.filter(cycle=cycle, kind=GroupKind.MENTOR_TEAM).exists()


def test_other_program_gets_404_and_anonymous_login(client, world, cycle):
    client.force_login(world.other_coordinator)
    assert client.get(url(cycle)).status_code == 404
    assert client.post(url(cycle), {}).status_code == 404
    client.logout()
    response = client.get(url(cycle))
    assert response.status_code == 302 and "/login/" in response.url
    client.force_login(world.student)
    assert "/login/" in client.get(url(cycle)).url
    client.force_login(f.UserFactory(is_staff=True))
    assert client.get(url(cycle)).status_code == 403


def test_coaching_program_has_no_mentor_teams(client, world):
    client.force_login(world.other_coordinator)
    response = client.get(url(world.other_cycle))
    assert "The program does not allow mentor teams." in response.text


def test_cycle_page_links_to_teams(client, world, cycle):
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:programs_cycle_change", args=[cycle.pk]))
    assert url(cycle) in response.text


@pytest.mark.parametrize("saved", [False, True])
def test_query_count_does_not_grow(client, world, cycle, saved):
    client.force_login(world.coordinator)

    def measure():
        if saved:
            client.post(url(cycle), post_data(client.get(url(cycle), {"suggest": 1})))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(cycle)).status_code == 200
        return len(queries)

    small = measure()
    add_matched(cycle, world.coordinator, mentors=9, discipline="Finance", students=3)
    assert measure() == small


def test_unpublished_matches_stay_out_of_the_teams(client, world, cycle):
    (late,) = add_matched(cycle, world.coordinator, mentors=1, discipline="Law")
    Match.objects.filter(engagement=late).update(published_at=None)
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:mentorship_group_teams", args=[cycle.pk]))
    assert late.mentor.user.full_name not in response.text


def test_a_team_number_out_of_range_is_marked_on_its_row(client, world, cycle):
    client.force_login(world.coordinator)
    page = client.get(url(cycle))
    data = post_data(page)
    moved = page.context["form"].teams()[0]["rows"][0][0]
    data[f"mentor_{moved.pk}"] = 4  # two teams and the new one: 3 at most
    response = client.post(url(cycle), data)
    assert response.status_code == 200
    row = response.text.split(f'name="mentor_{moved.pk}"')[0].rsplit("<tr>", 1)[1]
    assert "Ensure this value is less than or equal to 3." in row
    assert not Group.objects.filter(cycle=cycle, kind=GroupKind.MENTOR_TEAM).exists()


def test_teams_are_paged_and_a_page_saves_every_team(client, world, cycle, monkeypatch):
    # 6 + 24 mentors of distinct disciplines: 10 teams, the new one on each page.
    for n in range(8):
        add_matched(cycle, world.coordinator, mentors=3, discipline=f"Field {n}", students=1)
    client.force_login(world.coordinator)
    page = client.get(url(cycle))
    assert [team["number"] for team in page.context["form"].teams()] == [*range(1, 11), 11]
    assert page.text.count('list="team-numbers"') == 30
    assert page.text.count("<option") == 11  # the datalist: each team once, and a new one
    client.post(url(cycle), post_data(page))
    assert Group.objects.filter(cycle=cycle, kind=GroupKind.MENTOR_TEAM).count() == 10

    monkeypatch.setattr("mentorship.admin_teams.TEAMS_PER_PAGE", 4)
    GroupRule.objects.filter(program=world.program, kind=GroupKind.MENTOR_TEAM).update(
        max_mentors=4
    )
    last = client.get(url(cycle), {"team": 10})
    assert [t["number"] for t in last.context["form"].teams()] == [9, 10, 11]
    assert "Teams 9 to 10 of 10" in last.text
    data = post_data(last)
    assert {key for key in data if key.startswith("name_")} == {"name_9", "name_10", "name_11"}
    assert len([key for key in data if key.startswith("mentor_")]) == 6
    moved = last.context["form"].teams()[0]["rows"][0][0]
    data[f"mentor_{moved.pk}"] = 1  # into a team of the first page
    data["name_10"] = "Renamed on the last page"
    response = client.post(f"{url(cycle)}?team=10", data, follow=True)
    assert "The teams are saved." in response.text
    groups = list(Group.objects.filter(cycle=cycle, kind=GroupKind.MENTOR_TEAM).order_by("pk"))
    assert groups[0].memberships.filter(mentor=moved.mentor).exists()
    assert groups[9].name == "Renamed on the last page"
    # The teams of the other pages kept their mentors and names.
    assert [g.memberships.filter(mentor__isnull=False).count() for g in groups] == [
        4,
        *[3] * 7,
        2,
        3,
    ]
    assert groups[1].name == data.get("name_2", page.context["form"].slots[1].name)


def test_resaving_after_one_move_rewrites_only_that_move(client, world, cycle):
    client.force_login(world.coordinator)
    client.post(url(cycle), post_data(client.get(url(cycle))))
    page = client.get(url(cycle))
    first, second = page.context["form"].teams()[:2]
    untouched = set(GroupMembership.objects.filter(group=second["slot"].group).values_list("pk"))
    chief = GroupMembership.objects.filter(group=first["slot"].group, mentor__isnull=False).first()
    GroupMembership.objects.filter(pk=chief.pk).update(role=GroupRole.CHIEF)
    data = post_data(page)
    moved = next(e for e, _field in first["rows"] if e.mentor_id != chief.mentor_id)
    data[f"mentor_{moved.pk}"] = 3
    data["name_3"] = "Team C"
    assert "The teams are saved." in client.post(url(cycle), data, follow=True).text
    assert set(GroupMembership.objects.filter(group=second["slot"].group).values_list("pk")) == (
        untouched
    )
    assert GroupMembership.objects.get(pk=chief.pk).role == GroupRole.CHIEF
    team_c = Group.objects.get(cycle=cycle, name="Team C")
    assert team_c.memberships.filter(mentor=moved.mentor, role="coach").exists()
    assert team_c.memberships.filter(role="student").count() == 2
