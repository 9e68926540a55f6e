"""Moving a student by hand in a matching preview."""

import pytest
from django.urls import reverse

from mentorship.matching_moves import move_student
from mentorship.matching_runs import MatchingError, commit_run, run_matching
from mentorship.models import Match, MatchingRun, StudentPreference
from programs.models import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def preview(world):
    """Mentors a (capacity 3) and b (capacity 3); four students rank a then b."""
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage=Stage.SELECTION)
    a, b = (f.EngagementFactory(cycle=cycle, capacity=3) for _ in range(2))
    students = [f.EnrollmentFactory(cycle=cycle, status="applied") for _ in range(4)]
    for student in students:
        StudentPreference.objects.create(enrollment=student, engagement=a, rank=1)
        StudentPreference.objects.create(enrollment=student, engagement=b, rank=2)
    run = run_matching(cycle=cycle, by=world.coordinator)
    return MatchingRun.objects.get(pk=run.pk), a, b, students


def placed(run):
    run.refresh_from_db()
    return {int(s): m for s, m in run.result["assignment"].items()}


def test_move_records_manual_reason_and_warns_of_blocking_pair(world, preview):
    run, a, b, students = preview
    on_a = [s for s, m in placed(run).items() if m == a.pk]
    moved = on_a[0]
    warnings = move_student(
        run=run, student=moved, mentor=b.pk, reason="Same city", by=world.coordinator
    )
    assert placed(run)[moved] == b.pk
    assert any("blocking pair" in warning for warning in warnings)
    run.refresh_from_db()
    assert run.blocking_pairs_count >= 1
    assert run.result["manual"][str(moved)]["reason"] == "Same city"
    assert run.result["rank"][str(moved)] == 2

    commit_run(run=run, by=world.coordinator)
    match = Match.objects.get(enrollment_id=moved)
    assert (match.source, match.reason, match.engagement_id) == ("manual", "Same city", b.pk)
    assert set(Match.objects.exclude(pk=match.pk).values_list("source", flat=True)) == {"algorithm"}


def test_move_over_capacity_and_under_minimum_warns(world, preview):
    run, a, b, students = preview
    for student, mentor in list(placed(run).items()):
        if mentor == b.pk:
            warnings = move_student(
                run=run, student=student, mentor=a.pk, reason="Asked for it", by=world.coordinator
            )
    assert any("more students than their capacity" in warning for warning in warnings)
    assert any("fewer than 3 students" in warning for warning in warnings)
    run.refresh_from_db()
    assert run.result["load"][str(a.pk)] == 4


def test_leaving_a_student_unmatched(world, preview):
    run, a, _, students = preview
    student = next(iter(placed(run)))
    move_student(run=run, student=student, mentor=None, reason="On exchange", by=world.coordinator)
    run.refresh_from_db()
    assert str(student) not in run.result["assignment"]
    assert run.result["unmatched"][str(student)]["reason"] == "manual"
    assert run.unmatched_count == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"reason": "  "}, "Say why"),
        ({"student": 999999}, "not part of this matching"),
        ({"mentor": 999999}, "not part of this matching"),
    ],
)
def test_bad_moves_change_nothing(world, preview, change, message):
    run, a, b, students = preview
    before = run.result
    arguments = {"student": students[0].pk, "mentor": b.pk, "reason": "ok", **change}
    with pytest.raises(MatchingError, match=message):
        move_student(run=run, by=world.coordinator, **arguments)
    run.refresh_from_db()
    assert run.result == before


def test_committed_run_cannot_be_changed(world, preview):
    run, a, b, students = preview
    commit_run(run=run, by=world.coordinator)
    with pytest.raises(MatchingError, match="Only a preview"):
        move_student(
            run=run, student=students[0].pk, mentor=b.pk, reason="late", by=world.coordinator
        )


def test_move_through_the_page(client, world, preview):
    run, a, b, students = preview
    url = reverse("admin:mentorship_matchingrun_move", args=[run.pk])
    client.force_login(world.coordinator)
    response = client.post(url, {"student": students[0].pk, "mentor": b.pk, "reason": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    response = client.post(
        url, {"student": students[0].pk, "mentor": b.pk, "reason": "Family"}, follow=True
    )
    assert "recorded as manual" in response.content.decode()
    assert placed(run)[students[0].pk] == b.pk

    client.force_login(world.steering)
    assert client.post(url, {"student": students[1].pk, "reason": "x"}).status_code == 403
    client.force_login(world.other_coordinator)
    assert client.post(url, {"student": students[1].pk, "reason": "x"}).status_code == 404
    client.logout()
    assert client.post(url, {}).status_code == 302
