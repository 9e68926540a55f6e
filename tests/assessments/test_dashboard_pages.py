"""Who sees the progress dashboards, what the pages carry, and their cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


def cycle_url(world):
    return reverse("cycle_dashboard", args=[world.cycle.pk])


def group_url(world):
    return reverse("group_dashboard", args=[world.team.pk])


@pytest.fixture
def leading_coach(world):
    coach = f.MentorProfileFactory(user__full_name="Lea Leading")
    f.GroupMembershipFactory(group=world.team, mentor=coach, role="leading")
    return coach.user


@pytest.fixture
def plain_coach(world):
    coach = f.MentorProfileFactory(user__full_name="Cal Coach")
    f.GroupMembershipFactory(group=world.team, mentor=coach, role="coach")
    return coach.user


@pytest.mark.parametrize("persona", ["coordinator", "steering"])
def test_the_programs_staff_see_the_cycle_and_its_groups(client, world, persona):
    client.force_login(getattr(world, persona))
    for url in (cycle_url(world), group_url(world)):
        response = client.get(url)
        assert response.status_code == 200
        assert b"vendor/chartjs/chart.umd.min.js" in response.content


def test_group_leaders_see_their_group_only(client, world, leading_coach):
    for leader in (world.mentor, leading_coach):
        client.force_login(leader)
        assert client.get(group_url(world)).status_code == 200
        assert client.get(cycle_url(world)).status_code == 403
    rival = f.GroupFactory(cycle=world.cycle)
    assert client.get(reverse("group_dashboard", args=[rival.pk])).status_code == 404


def test_coaches_and_students_are_refused(client, world, plain_coach):
    for person in (plain_coach, world.student):
        client.force_login(person)
        assert client.get(group_url(world)).status_code == 403
        assert client.get(cycle_url(world)).status_code == 403


def test_a_person_without_a_role_is_refused(client, world):
    client.force_login(f.UserFactory())
    assert client.get(cycle_url(world)).status_code == 403
    assert client.get(group_url(world)).status_code == 403


@pytest.mark.parametrize("persona", ["other_coordinator", "other_mentor"])
def test_other_programs_people_get_404(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(cycle_url(world)).status_code == 404
    assert client.get(group_url(world)).status_code == 404


def test_anonymous_visitors_sign_in_first(client, world):
    for url in (cycle_url(world), group_url(world)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_embeds_chart_data_without_inline_script_and_links_groups(client, world):
    client.force_login(world.coordinator)
    f.RequirementFactory(cycle=world.cycle, kind_code="career_plan")
    f.ActivityFactory(cycle=world.cycle)
    page = client.get(cycle_url(world)).content.decode()
    for name in ("completion", "groups", "meetings", "attendance", "competence", "satisfaction"):
        assert f'data-chart="chart-{name}"' in page
        assert f'<script id="chart-{name}" type="application/json">' in page
    assert "<script>" not in page and " style=" not in page
    assert "<details" in page
    assert group_url(world) in page


def test_homes_and_the_group_page_link_the_dashboards(client, world, plain_coach):
    client.force_login(world.coordinator)
    assert cycle_url(world) in client.get(reverse("coordinator_home")).content.decode()
    client.force_login(world.mentor)
    assert group_url(world) in client.get(reverse("mentor_home")).content.decode()
    assert (
        group_url(world)
        in client.get(reverse("group_detail", args=[world.team.pk])).content.decode()
    )
    client.force_login(plain_coach)
    assert (
        group_url(world)
        not in client.get(reverse("group_detail", args=[world.team.pk])).content.decode()
    )


def grow(world, plan, size):
    """``size`` more of everything the dashboard counts, in the world's team."""
    cycle, now = world.cycle, timezone.now()
    coach = world.mentor.mentor_profile
    engagement = coach.engagements.get(cycle=cycle)
    team = world.team
    for i in range(size):
        enrollment = f.EnrollmentFactory(cycle=cycle)
        f.GroupMembershipFactory(
            group=team, mentor=None, student=enrollment.student, role="student"
        )
        f.MatchFactory(
            enrollment=enrollment,
            engagement=engagement,
            published_at=now - datetime.timedelta(days=60),
        )
        if i % 2:
            f.SubmissionFactory(requirement=plan, enrollment=enrollment)
        meeting = f.MeetingFactory(cycle=cycle, author=coach)
        f.MeetingParticipantFactory(meeting=meeting, student=enrollment.student, status="confirmed")
        activity = f.ActivityFactory(cycle=cycle, group=team)
        f.ActivityInvitationFactory(activity=activity, group=team)
        f.ActivityInvitationFactory(activity=activity, user=enrollment.student.user)
        f.RegistrationFactory(activity=activity, user=enrollment.student.user, attendance="present")
        other_team = f.GroupFactory(cycle=cycle)
        f.GroupMembershipFactory(group=other_team, mentor=f.MentorProfileFactory(), role="chief")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona, url", [("coordinator", cycle_url), ("mentor", group_url)])
def test_query_count_does_not_grow(client, world, persona, url):
    client.force_login(getattr(world, persona))
    plan = f.RequirementFactory(
        cycle=world.cycle,
        kind_code="career_plan",
        due_at=timezone.now() - datetime.timedelta(days=2),
    )
    grow(world, plan, 2)
    small = queries(client, url(world))
    grow(world, plan, 6)
    assert queries(client, url(world)) == small


def test_the_page_does_not_grow_with_groups_and_activities(client, world, monkeypatch):
    monkeypatch.setattr("assessments.dashboard.GROUPS_SHOWN", 2)
    monkeypatch.setattr("assessments.dashboard.ACTIVITIES_SHOWN", 2)
    client.force_login(world.coordinator)
    plan = f.RequirementFactory(cycle=world.cycle, kind_code="career_plan")

    def rows():
        figures = client.get(cycle_url(world)).context["figures"]
        return len(figures.groups), len(figures.attendance), figures.activities_total

    grow(world, plan, 3)
    assert rows() == (2, 2, 3)
    grow(world, plan, 6)
    page = client.get(cycle_url(world)).content.decode()
    assert rows() == (2, 2, 9)
    total = world.cycle.groups.count()
    assert f"The 2 groups furthest behind, of {total};" in page
    assert "The latest 2 activities, of 9." in page
