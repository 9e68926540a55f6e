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


def named_cycle(world, *, students):
    """Mentors Ada (capacity 2) and Bo (capacity 1); students ranking Ada then Bo,
    named Student 00, Student 01, ..."""
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage=Stage.SELECTION)
    ada, bo = (
        f.EngagementFactory(cycle=cycle, capacity=capacity, mentor__user__full_name=name)
        for name, capacity in (("Ada Mentor", 2), ("Bo Mentor", 1))
    )
    enrollments = []
    for i in range(students):
        enrollment = f.EnrollmentFactory(
            cycle=cycle, status="applied", student__user__full_name=f"Student {i:02}"
        )
        StudentPreference.objects.create(enrollment=enrollment, engagement=ada, rank=1)
        StudentPreference.objects.create(enrollment=enrollment, engagement=bo, rank=2)
        enrollments.append(enrollment)
    return cycle, ada, bo, enrollments


def test_summary_counts_the_whole_run(client, world):
    cycle, *_ = named_cycle(world, students=5)
    preview, run = urls(cycle)
    client.force_login(world.coordinator)
    client.post(run)
    page = client.get(preview)
    summary = page.context["summary"]
    assert summary["by_rank"] == [(1, 2), (2, 1)]
    assert (summary["sides"], summary["full"], summary["over_capacity"]) == (2, 2, 0)
    text = page.content.decode()
    assert "Matched with their choice no. 1" in text and "Matched with their choice no. 2" in text


def test_lists_are_paged_and_searched(client, world, monkeypatch):
    monkeypatch.setattr("mentorship.matching_preview.PER_PAGE", 2)
    cycle, ada, bo, enrollments = named_cycle(world, students=5)
    preview, run = urls(cycle)
    client.force_login(world.coordinator)
    client.post(run)
    first = client.get(preview)
    assert first.context["unmatched"].page.paginator.count == 2
    assert len(first.context["matched"].page) == 2 and first.context["matched"].next_url
    second = client.get(preview, {"page": 2})
    assert [row["mentor"].name for row in second.context["matched"].page] == ["Bo Mentor"]

    found = client.get(preview, {"q": "student 03"})
    everyone = list(found.context["matched"].page) + list(found.context["unmatched"].page)
    assert [str(row["student"]).split(" (")[0] for row in everyone] == ["Student 03"]
    by_mentor = client.get(preview, {"q": "bo mentor"})
    assert [row["mentor"].name for row in by_mentor.context["matched"].page] == ["Bo Mentor"]
    assert by_mentor.context["unmatched"].page.paginator.count == 0
    assert "Nobody matches the search." in by_mentor.content.decode()


def test_a_row_opens_the_move_form_for_its_student(client, world):
    cycle, ada, bo, enrollments = named_cycle(world, students=4)
    preview, run = urls(cycle)
    client.force_login(world.coordinator)
    client.post(run)
    page = client.get(preview)
    assert page.context["move_form"] is None
    assert f"move={enrollments[3].pk}#move" in page.content.decode()
    page = client.get(preview, {"move": enrollments[3].pk})
    assert page.context["moving"].pk == enrollments[3].pk
    assert page.context["move_form"]["student"].value() == enrollments[3].pk
    assert "Move Student 03" in page.content.decode()
    for wrong in ("999999", "x"):
        assert client.get(preview, {"move": wrong}).context["move_form"] is None
    # Looking is not moving: a steering member sees no move links nor form.
    client.force_login(world.steering)
    page = client.get(preview, {"move": enrollments[3].pk})
    assert page.context["move_form"] is None and "#move" not in page.content.decode()


@pytest.mark.parametrize("query", [{}, {"q": "a", "page": "2", "unmatched_page": "2"}])
def test_searched_and_paged_preview_query_count_does_not_grow(client, world, query):
    cycle, *_ = named_cycle(world, students=3)
    preview, run = urls(cycle)
    client.force_login(world.coordinator)

    def measure():
        client.post(run)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(preview, query).status_code == 200
        return len(queries)

    small = measure()
    add_people(cycle, mentors=40, students=250)
    assert measure() == small
