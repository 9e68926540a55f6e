"""Computing an evaluation: when it may run, re-computing, failures, the task."""

import pytest
from django.utils import timezone

from assessments import evaluation_measures
from assessments.evaluation import EvaluationError, compute_evaluation, prepare_computation
from assessments.models import Evaluation, EvaluationStatus, Score, Standing
from assessments.tasks import compute_evaluation_task
from mentorship.models import Enrollment
from programs.models import RubricCriterion, Stage
from tests import factories as f

from .evaluation_helpers import compute, evaluating, populate, score, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    cycle = evaluating(world.cycle)
    populate(cycle, students=2, judge_user=world.steering)
    return cycle


def rows(evaluation):
    return Score.objects.filter(evaluation=evaluation).count(), Standing.objects.filter(
        evaluation=evaluation
    ).count()


def test_every_criterion_for_every_subject(world, cycle):
    evaluation = compute(cycle, world.coordinator)
    criteria = RubricCriterion.objects.filter(program=world.program)
    students = Enrollment.objects.filter(cycle=cycle, status="matched").count()
    mentors, groups = cycle.engagements.count(), cycle.groups.count()
    expected = sum(
        {"student": students, "mentor": mentors, "group": groups}[c.subject] for c in criteria
    )
    assert rows(evaluation) == (expected, students + mentors + groups)
    assert evaluation.status == EvaluationStatus.COMPUTED
    assert evaluation.computed_by == world.coordinator
    assert evaluation.progress_done == evaluation.progress_total == criteria.count() + 1
    assert evaluation.error == ""


def test_recompute_replaces_the_rows(world, cycle):
    evaluation = compute(cycle, world.coordinator)
    before = set(Score.objects.filter(evaluation=evaluation).values_list("pk", flat=True))
    counts = rows(evaluation)
    enrollment = Enrollment.objects.get(cycle=cycle, student__user=world.student)
    assert score(evaluation, "student_deliverables", enrollment).value == 0
    plan = cycle.requirements.get(kind__code="career_plan")
    version(plan, enrollment, decision="accepted")
    evaluation = compute(cycle, world.steering)
    assert rows(evaluation) == counts
    assert not before & set(
        Score.objects.filter(evaluation=evaluation).values_list("pk", flat=True)
    )
    assert score(evaluation, "student_deliverables", enrollment).value == 100
    assert evaluation.computed_by == world.steering


@pytest.mark.parametrize("stage", [Stage.TRACKING, Stage.REWARD, Stage.CLOSED])
def test_refused_outside_the_evaluation_stage(world, cycle, stage):
    cycle.stage = stage
    cycle.save()
    evaluation = Evaluation.objects.get(cycle=cycle)
    with pytest.raises(EvaluationError, match="final evaluation stage"):
        compute_evaluation(evaluation=evaluation, by=world.coordinator)
    with pytest.raises(EvaluationError):
        prepare_computation(cycle=cycle)
    assert rows(evaluation) == (0, 0)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.NEW
    assert "final evaluation stage" in evaluation.error


def test_refused_once_finalized(world, cycle):
    evaluation = compute(cycle, world.coordinator)
    counts = rows(evaluation)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.FINALIZED,
        finalized_at=timezone.now(),
        finalized_by=world.coordinator,
    )
    with pytest.raises(EvaluationError, match="finalized"):
        compute_evaluation(evaluation=evaluation, by=world.coordinator)
    with pytest.raises(EvaluationError):
        prepare_computation(cycle=cycle)
    assert rows(evaluation) == counts
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FINALIZED


def test_a_failure_keeps_the_earlier_rows_and_says_why(world, cycle, monkeypatch):
    evaluation = compute(cycle, world.coordinator)
    counts = rows(evaluation)

    def broken(inputs):
        raise RuntimeError("the database went away")

    monkeypatch.setitem(evaluation_measures.COMPUTED, "meetings", broken)
    with pytest.raises(RuntimeError):
        compute_evaluation(evaluation=evaluation, by=world.coordinator)
    evaluation.refresh_from_db()
    assert rows(evaluation) == counts
    assert evaluation.status == EvaluationStatus.COMPUTED
    assert evaluation.error == "the database went away"


def test_the_task_is_safe_to_run_twice(world, cycle):
    evaluation = prepare_computation(cycle=cycle)
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.COMPUTING
    assert compute_evaluation_task.delay(evaluation.pk, world.coordinator.pk).get() is None
    first = dict(Standing.objects.filter(evaluation=evaluation).values_list("enrollment", "total"))
    compute_evaluation_task(evaluation.pk, world.coordinator.pk)
    again = dict(Standing.objects.filter(evaluation=evaluation).values_list("enrollment", "total"))
    assert again == first
    assert compute_evaluation_task(0, world.coordinator.pk) is None


def test_the_task_reports_a_refusal_and_settles_the_status(world, cycle):
    evaluation = prepare_computation(cycle=cycle)
    cycle.stage = Stage.REWARD
    cycle.save()
    message = compute_evaluation_task(evaluation.pk, world.coordinator.pk)
    assert "final evaluation stage" in message
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.NEW


def test_another_cycle_is_not_touched(world, cycle):
    other = evaluating(f.CycleFactory(program=world.program, name="2027-2028"))
    populate(other, students=1, judge_user=world.steering, tag="o")
    evaluation = compute(cycle, world.coordinator)
    subjects = Standing.objects.filter(evaluation=evaluation)
    assert not subjects.filter(enrollment__cycle=other).exists()
    assert not subjects.filter(engagement__cycle=other).exists()
    assert not subjects.filter(group__cycle=other).exists()
