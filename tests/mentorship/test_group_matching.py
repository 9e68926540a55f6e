"""Group-level matching: run, preview and commit students into coaching groups."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.matching_moves import move_student
from mentorship.matching_runs import MatchingError, commit_run, load_input, run_matching
from mentorship.models import (
    Enrollment,
    GroupJudgement,
    GroupMembership,
    GroupPreference,
    Match,
    MatchingRun,
)
from programs.models import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(world):
    """A cycle in selection with two groups (2 and 1 places) and four students ranking them."""
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage=Stage.SELECTION)
    big = f.GroupFactory(cycle=cycle, kind="industry", name="Big", capacity=2)
    small = f.GroupFactory(cycle=cycle, kind="enterprise", name="Small", capacity=1)
    f.GroupFactory(cycle=cycle, name="Team without places")
    students = [f.EnrollmentFactory(cycle=cycle, status="applied", tie_break=n) for n in range(4)]
    return cycle, big, small, students


def solve(world, cycle, level="group"):
    """Run the matching and read the run back as stored (JSON keys are strings)."""
    run = run_matching(cycle=cycle, by=world.coordinator, level=level)
    run.refresh_from_db()
    return run


def rank(enrollment, *chosen):
    for position, group in enumerate(chosen, start=1):
        GroupPreference.objects.create(enrollment=enrollment, group=group, rank=position)


def test_leaders_ranking_nobody_accept_in_tie_break_order(world, groups):
    cycle, big, small, students = groups
    for student in students:
        rank(student, big, small)
    run = solve(world, cycle)

    assert run.level == "group" and run.status == "preview"
    assignment = {int(s): g for s, g in run.result["assignment"].items()}
    assert assignment == {
        students[0].pk: big.pk,
        students[1].pk: big.pk,
        students[2].pk: small.pk,
    }
    assert run.result["unmatched"][str(students[3].pk)]["reason"] == "all_full"
    assert (run.matched_count, run.unmatched_count, run.under_minimum_count) == (3, 1, 0)
    assert not GroupMembership.objects.filter(group__cycle=cycle).exists()


def test_leaders_ranks_and_refusals_count(world, groups):
    cycle, big, small, students = groups
    for student in students:
        rank(student, big)
    GroupJudgement.objects.create(group=big, enrollment=students[3], rank=1)
    GroupJudgement.objects.create(group=big, enrollment=students[0], acceptable=False)
    run = solve(world, cycle)
    placed = {int(s) for s in run.result["assignment"]}
    # Ranked first; then the accepted-but-unranked in tie-break order.
    assert placed == {students[3].pk, students[1].pk}
    assert run.result["unmatched"][str(students[0].pk)]["reason"] == "not_acceptable"


def test_commit_creates_student_memberships_in_one_go(world, groups):
    cycle, big, small, students = groups
    for student in students:
        rank(student, small, big)
    run = solve(world, cycle)
    commit_run(run=run, by=world.coordinator)

    members = GroupMembership.objects.filter(group__cycle=cycle, role="student")
    assert members.count() == 3
    assert set(members.values_list("run", flat=True)) == {run.pk}
    assert set(members.values_list("student", flat=True)) == {s.student_id for s in students[:3]}
    assert not Match.objects.exists()
    statuses = dict(Enrollment.objects.filter(cycle=cycle).values_list("pk", "status"))
    assert statuses[students[3].pk] == "waitlisted"
    assert statuses[students[0].pk] == "matched"
    run.refresh_from_db()
    assert run.status == "committed"


def test_second_round_pins_earlier_members(world, groups):
    cycle, big, small, students = groups
    rank(students[0], small)
    commit_run(run=solve(world, cycle), by=world.coordinator)
    rank(students[1], small, big)
    data = load_input(cycle, "group")
    assert data["pinned"] == [[students[0].pk, small.pk]]
    run = solve(world, cycle)
    assert run.result["assignment"][str(students[1].pk)] == big.pk
    commit_run(run=run, by=world.coordinator)
    assert GroupMembership.objects.filter(group=small, role="student").count() == 1


def test_stale_group_preview_is_refused(world, groups):
    cycle, big, small, students = groups
    rank(students[0], big)
    run = solve(world, cycle)
    rank(students[1], small)
    with pytest.raises(MatchingError, match="changed since"):
        commit_run(run=run, by=world.coordinator)
    assert not GroupMembership.objects.filter(group__cycle=cycle, role="student").exists()


def test_manual_move_into_a_full_group_warns(world, groups):
    cycle, big, small, students = groups
    for student in students[:2]:
        rank(student, small)
    run = solve(world, cycle)
    warnings = move_student(
        run=run, student=students[1].pk, mentor=small.pk, reason="Sibling", by=world.coordinator
    )
    assert "more students than its places" in " ".join(warnings)


def test_levels_do_not_mix(world, groups):
    cycle, big, small, students = groups
    engagement = f.EngagementFactory(cycle=cycle, capacity=3)
    rank(students[0], big)
    group_run = solve(world, cycle)
    mentor_run = solve(world, cycle, "mentor")
    assert mentor_run.input_snapshot["capacities"] == {str(engagement.pk): 3}
    commit_run(run=mentor_run, by=world.coordinator)
    group_run.refresh_from_db()
    # Committing one level discards only that level's other previews.
    assert group_run.status == "preview"


# The admin page


def page_urls(cycle):
    return (
        reverse("admin:mentorship_matchingrun_group_preview", args=[cycle.pk]),
        reverse("admin:mentorship_matchingrun_group_run", args=[cycle.pk]),
    )


def test_coordinator_runs_and_commits_group_matching(client, world, groups):
    cycle, big, small, students = groups
    for student in students:
        rank(student, big, small)
    preview, run_url = page_urls(cycle)
    client.force_login(world.coordinator)
    assert "has not been run" in client.get(preview).content.decode()
    page = client.post(run_url, follow=True).content.decode()
    assert "coaching groups they ranked" in page
    assert "Big" in page and "2 / 2" in page and "1 / 1" in page
    assert "every group they ranked was full" in page
    run = MatchingRun.objects.get(cycle=cycle, level="group")
    commit = reverse("admin:mentorship_matchingrun_commit", args=[run.pk])
    response = client.post(commit, {"confirmed": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == preview
    assert "students are in their groups" in response.content.decode()
    assert GroupMembership.objects.filter(run=run).count() == 3


def test_mentor_page_ignores_group_runs(client, world, groups):
    cycle, big, *_ = groups
    client.force_login(world.coordinator)
    client.post(page_urls(cycle)[1])
    assert MatchingRun.objects.filter(level="group").exists()
    mentor_page = reverse("admin:mentorship_matchingrun_preview", args=[cycle.pk])
    response = client.get(mentor_page)
    assert response.context["run"] is None
    assert "has not been run" in response.content.decode()


def test_group_page_roles(client, world, groups):
    cycle, *_ = groups
    preview, run_url = page_urls(cycle)
    for response in (client.get(preview), client.post(run_url)):
        assert response.status_code == 302 and "/login/" in response.url
    client.force_login(world.student)
    assert "/login/" in client.get(preview).url
    client.force_login(world.steering)
    assert client.get(preview).status_code == 200
    assert client.post(run_url).status_code == 403
    client.force_login(world.coordinator)
    assert client.get(run_url).status_code == 405
    client.force_login(world.other_coordinator)
    assert client.get(preview).status_code == 404
    assert client.post(run_url).status_code == 404
    assert not MatchingRun.objects.exists()


def test_cycle_form_links_group_matching_only_with_places(client, world, groups):
    cycle, *_ = groups
    client.force_login(world.coordinator)
    change = reverse("admin:programs_cycle_change", args=[cycle.pk])
    assert page_urls(cycle)[0] in client.get(change).content.decode()
    change = reverse("admin:programs_cycle_change", args=[world.cycle.pk])
    assert page_urls(world.cycle)[0] not in client.get(change).content.decode()


def test_group_preview_query_count_does_not_grow(client, world, groups):
    cycle, big, small, students = groups
    preview, run_url = page_urls(cycle)
    client.force_login(world.coordinator)

    def measure():
        client.post(run_url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(preview).status_code == 200
        return len(queries)

    for student in students:
        rank(student, big, small)
    small_count = measure()
    for _ in range(5):
        group = f.GroupFactory(cycle=cycle, kind="industry", capacity=3)
        for _ in range(4):
            rank(f.EnrollmentFactory(cycle=cycle, status="applied"), group, big)
    assert measure() == small_count


def test_coordinator_moves_a_student_between_groups(client, world, groups):
    cycle, big, small, students = groups
    for student in students:
        rank(student, big, small)
    preview, run_url = page_urls(cycle)
    client.force_login(world.coordinator)
    client.post(run_url)
    run = MatchingRun.objects.get(level="group")
    page = client.get(preview).content.decode()
    assert "New group" not in page and f"move={students[3].pk}#move" in page
    assert "New group" in client.get(preview, {"move": students[3].pk}).content.decode()
    move = reverse("admin:mentorship_matchingrun_move", args=[run.pk])
    data = {"student": students[3].pk, "mentor": small.pk, "reason": "Sponsor asked"}
    response = client.post(move, data, follow=True)
    assert response.redirect_chain[-1][0] == preview
    assert "more students than its places" in response.content.decode()
    run.refresh_from_db()
    assert run.result["assignment"][str(students[3].pk)] == small.pk
    bad = client.post(move, {"student": students[3].pk, "mentor": "", "reason": ""})
    assert bad.status_code == 200 and bad.context["level"] == "group"
