"""Running the matching on a cycle's data and committing the preview."""

import pytest

from mentorship.matching_runs import MatchingError, commit_run, load_input, run_matching
from mentorship.models import (
    Enrollment,
    Match,
    MatchingRun,
    MentorPreference,
    StudentPreference,
)
from programs.models import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def selection(world):
    """A cycle in selection: three mentors (capacity 3), seven students who rank them."""
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage=Stage.SELECTION)
    mentors = [f.EngagementFactory(cycle=cycle, capacity=3) for _ in range(3)]
    students = [f.EnrollmentFactory(cycle=cycle, status="applied") for _ in range(7)]
    return cycle, mentors, students


def rank(enrollment, *engagements):
    for position, engagement in enumerate(engagements, start=1):
        StudentPreference.objects.create(
            enrollment=enrollment, engagement=engagement, rank=position
        )


def test_run_is_a_preview_with_figures(world, selection):
    cycle, (a, b, c), students = selection
    for student in students[:4]:
        rank(student, a, b)
    for student in students[4:6]:
        rank(student, b, c)
    # students[6] ranks nobody.
    run = run_matching(cycle=cycle, by=world.coordinator)

    assert run.status == "preview"
    assert not Match.objects.exists()
    assert (run.students_count, run.matched_count, run.unmatched_count) == (7, 6, 1)
    assert run.first_choice_share == pytest.approx(5 / 7)
    assert run.top3_share == pytest.approx(6 / 7)
    assert run.blocking_pairs_count == 0
    # a has 3, b has 3 (1 + 2), c none: c is under the program's minimum of 3.
    assert run.under_minimum_count == 1
    stored = MatchingRun.objects.get(pk=run.pk)
    assert stored.result["unmatched"][str(students[6].pk)]["reason"] == "ranked_nobody"
    assert stored.input_snapshot["capacities"] == {str(m.pk): 3 for m in (a, b, c)}


def test_mentor_rankings_and_refusals_count(world, selection):
    cycle, (a, b, _), students = selection
    first, second, third, fourth = students[:4]
    for student in (first, second, third, fourth):
        rank(student, a)
    MentorPreference.objects.create(engagement=a, enrollment=fourth, rank=1)
    MentorPreference.objects.create(engagement=a, enrollment=first, acceptable=False)
    run = run_matching(cycle=cycle, by=world.coordinator)
    assignment = run.result["assignment"]
    assert {int(s) for s in assignment} == {fourth.pk, second.pk, third.pk}
    assert run.result["unmatched"][first.pk]["reason"] == "not_acceptable"


def test_tie_break_decides_for_a_mentor_who_ranks_nobody(world, selection):
    cycle, (a, _, _), students = selection
    for student in students[:5]:
        rank(student, a)
    Enrollment.objects.filter(pk=students[4].pk).update(tie_break=1)
    Enrollment.objects.filter(pk=students[3].pk).update(tie_break=2)
    data = load_input(cycle)
    assert data["tie_break"][:2] == [students[4].pk, students[3].pk]
    run = run_matching(cycle=cycle, by=world.coordinator)
    assert set(run.result["assignment"]) == {students[4].pk, students[3].pk, students[0].pk}


def test_withdrawn_students_and_declined_mentors_take_no_part(world, selection):
    cycle, (a, b, c), students = selection
    b.status = "declined"
    b.save()
    Enrollment.objects.filter(pk=students[0].pk).update(status="withdrawn")
    rank(students[1], b, a)
    data = load_input(cycle)
    assert students[0].pk not in data["students"]
    assert data["students"][students[1].pk] == [a.pk]
    assert b.pk not in data["capacities"]


def test_commit_creates_matches_and_waitlists_the_rest(world, selection):
    cycle, (a, b, _), students = selection
    for student in students[:4]:
        rank(student, a)
    run = run_matching(cycle=cycle, by=world.coordinator)
    commit_run(run=run, by=world.coordinator)

    run.refresh_from_db()
    assert run.status == "committed" and run.committed_by == world.coordinator
    matches = Match.objects.filter(engagement=a)
    assert matches.count() == 3
    assert {match.rank for match in matches} == {1}
    assert set(matches.values_list("source", flat=True)) == {"algorithm"}
    statuses = dict(Enrollment.objects.filter(cycle=cycle).values_list("pk", "status"))
    assert sorted(statuses.values()).count("matched") == 3
    assert sorted(statuses.values()).count("waitlisted") == 4


def test_second_round_keeps_earlier_matches(world, selection):
    cycle, (a, b, _), students = selection
    for student in students[:4]:
        rank(student, a, b)
    commit_run(run=run_matching(cycle=cycle, by=world.coordinator), by=world.coordinator)
    first_round = set(Match.objects.values_list("enrollment", "engagement"))
    rank(students[5], a)
    second = run_matching(cycle=cycle, by=world.coordinator)
    assert second.input_snapshot["pinned"]
    commit_run(run=second, by=world.coordinator)
    assert first_round <= set(Match.objects.values_list("enrollment", "engagement"))
    assert Match.objects.count() == 4


def test_commit_refuses_a_stale_preview_and_changes_nothing(world, selection):
    cycle, (a, _, _), students = selection
    rank(students[0], a)
    run = run_matching(cycle=cycle, by=world.coordinator)
    rank(students[1], a)
    with pytest.raises(MatchingError, match="changed since this preview"):
        commit_run(run=run, by=world.coordinator)
    assert not Match.objects.exists()
    run.refresh_from_db()
    assert run.status == "preview"


def test_commit_twice_is_refused(world, selection):
    cycle, (a, _, _), students = selection
    rank(students[0], a)
    run = run_matching(cycle=cycle, by=world.coordinator)
    commit_run(run=run, by=world.coordinator)
    with pytest.raises(MatchingError, match="already committed"):
        commit_run(run=run, by=world.coordinator)
    assert Match.objects.count() == 1


def test_older_previews_are_discarded_on_commit(world, selection):
    cycle, (a, _, _), students = selection
    rank(students[0], a)
    older = run_matching(cycle=cycle, by=world.coordinator)
    newer = run_matching(cycle=cycle, by=world.coordinator)
    commit_run(run=newer, by=world.coordinator)
    older.refresh_from_db()
    assert older.status == "discarded"


def test_matching_only_in_selection(world):
    with pytest.raises(MatchingError):
        run_matching(cycle=world.cycle, by=world.coordinator)  # tracking
    assert not MatchingRun.objects.exists()


def test_run_reports_pins_that_no_longer_fit(world, selection):
    cycle, (a, _, _), students = selection
    rank(students[0], a)
    commit_run(run=run_matching(cycle=cycle, by=world.coordinator), by=world.coordinator)
    a.status = "declined"
    a.save()
    with pytest.raises(MatchingError, match="no longer fit"):
        run_matching(cycle=cycle, by=world.coordinator)
