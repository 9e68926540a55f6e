"""The coordinator's matching page on a cycle: run, preview, commit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import Match, MatchingRun, MentorPreference, StudentPreference
from programs.models import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage=Stage.SELECTION)
    add_people(cycle, mentors=2, students=5)
    return cycle


def add_people(cycle, *, mentors, students):
    engagements = [f.EngagementFactory(cycle=cycle, capacity=3) for _ in range(mentors)]
    for _ in range(students):
        enrollment = f.EnrollmentFactory(cycle=cycle, status="applied")
        for rank, engagement in enumerate(engagements[:3], start=1):
            StudentPreference.objects.create(
                enrollment=enrollment, engagement=engagement, rank=rank
            )
        if enrollment.pk % 5 == 0:
            # Some refusals, so the unmatched list has reasons to show.
            MentorPreference.objects.create(
                engagement=engagements[0], enrollment=enrollment, acceptable=False
            )


def urls(cycle):
    return (
        reverse("admin:mentorship_matchingrun_preview", args=[cycle.pk]),
        reverse("admin:mentorship_matchingrun_run", args=[cycle.pk]),
    )


def test_coordinator_runs_previews_and_commits(client, world, cycle):
    preview, run = urls(cycle)
    client.force_login(world.coordinator)
    page = client.get(preview)
    assert page.status_code == 200
    assert "has not been run" in page.content.decode()

    response = client.post(run, follow=True)
    assert response.status_code == 200
    assert not Match.objects.exists()
    latest = MatchingRun.objects.get(cycle=cycle)
    page = response.content.decode()
    assert "Preview" in page and "Commit this matching" in page
    assert "Blocking pairs" not in page or latest.blocking_pairs_count

    commit = reverse("admin:mentorship_matchingrun_commit", args=[latest.pk])
    confirm_page = client.get(commit).content.decode()
    assert f"{latest.matched_count} students are matched to mentors" in confirm_page
    assert not Match.objects.filter(engagement__cycle=cycle).exists()
    response = client.post(commit, {"confirmed": "1"}, follow=True)
    assert "The matching is committed" in response.content.decode()
    assert Match.objects.filter(engagement__cycle=cycle).count() == latest.matched_count


def test_run_outside_selection_shows_why_and_changes_nothing(client, world):
    client.force_login(world.coordinator)
    _, run = urls(world.cycle)  # tracking
    response = client.post(run, follow=True)
    assert "only while the cycle is in selection" in response.content.decode()
    assert not MatchingRun.objects.exists()


def test_anonymous_goes_to_login(client, cycle):
    preview, run = urls(cycle)
    for response in (client.get(preview), client.post(run)):
        assert response.status_code == 302
        assert "/login/" in response.url


def test_student_is_sent_to_admin_login(client, world, cycle):
    client.force_login(world.student)
    preview, _ = urls(cycle)
    response = client.get(preview)
    assert response.status_code == 302 and "/login/" in response.url


def test_steering_member_may_look_but_not_run(client, world, cycle):
    preview, run = urls(cycle)
    client.force_login(world.steering)
    assert client.get(preview).status_code == 200
    assert client.post(run).status_code == 403
    assert not MatchingRun.objects.exists()


def test_coordinator_of_another_program_gets_404(client, world, cycle):
    preview, run = urls(cycle)
    client.force_login(world.other_coordinator)
    assert client.get(preview).status_code == 404
    assert client.post(run).status_code == 404
    f.MatchingRunFactory(cycle=cycle, created_by=world.coordinator)
    commit = reverse("admin:mentorship_matchingrun_commit", args=[MatchingRun.objects.get().pk])
    assert client.post(commit, {"confirmed": "1"}).status_code == 404


def test_preview_query_count_does_not_grow(client, world, cycle):
    preview, run = urls(cycle)
    client.force_login(world.coordinator)

    def measure():
        client.post(run)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(preview).status_code == 200
        return len(queries)

    small = measure()
    add_people(cycle, mentors=6, students=25)
    assert measure() == small
