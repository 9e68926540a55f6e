"""Finalizing an evaluation: who may, when, the confirmation page, and that
finalize blocks every change path (admin, views, services) and lets the
cycle move on to the reward stage."""

import pytest
from django.contrib import admin
from django.urls import reverse

from assessments.evaluation import EvaluationError, compute_evaluation, prepare_computation
from assessments.evaluation_finalize import finalize_evaluation
from assessments.judging import JudgingError, JudgmentRow, save_judgments
from assessments.models import (
    Evaluation,
    EvaluationFinalized,
    EvaluationStatus,
    Judgment,
    Score,
    Standing,
)
from assessments.tasks import compute_evaluation_task
from mentorship.models import Enrollment
from programs.models import Cycle, Stage
from programs.services import StageTransitionError, advance_stage
from tests import factories as f

from .evaluation_helpers import compute, criterion, evaluating, judge, populate
from .judging_setup import judge_url

pytestmark = pytest.mark.django_db


def url(cycle, view="cycle", *args):
    return reverse(f"admin:assessments_evaluation_{view}", args=[cycle.pk, *args])


@pytest.fixture
def cycle(world):
    cycle = evaluating(world.cycle)
    populate(cycle, students=2, judge_user=world.steering)
    return cycle


@pytest.fixture
def computed(world, cycle):
    return compute(cycle, world.coordinator)


def rows(evaluation):
    return (
        list(Score.objects.filter(evaluation=evaluation).values_list("pk", "value")),
        list(Standing.objects.filter(evaluation=evaluation).values_list("pk", "total", "rank")),
        list(Judgment.objects.filter(evaluation=evaluation).values_list("pk", "score")),
    )


def the_enrollment(world, cycle):
    return Enrollment.objects.get(cycle=cycle, student__user=world.student)


def test_a_coordinator_finalizes_once(world, computed):
    evaluation = finalize_evaluation(evaluation=computed, by=world.coordinator)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FINALIZED
    assert evaluation.finalized_by == world.coordinator and evaluation.finalized_at
    with pytest.raises(EvaluationError, match="already finalized"):
        finalize_evaluation(evaluation=evaluation, by=world.coordinator)


@pytest.mark.parametrize(
    "problem", ["steering", "other_coordinator", "new", "computing", "stage", "judged_since"]
)
def test_finalize_refuses_what_must_not_hold(world, cycle, computed, problem):
    by, evaluation = world.coordinator, computed
    expected = {
        "steering": "Only the program's coordinators",
        "other_coordinator": "Only the program's coordinators",
        "new": "Compute the evaluation",
        "computing": "computation is running",
        "stage": "final evaluation stage",
        "judged_since": "Re-compute first: judgments changed since the last computation",
    }[problem]
    if problem == "steering":
        by = world.steering
    elif problem == "other_coordinator":
        by = world.other_coordinator
    elif problem == "new":
        evaluation = Evaluation.objects.create(cycle=f.CycleFactory(program=world.program))
    elif problem == "computing":
        prepare_computation(cycle=cycle)
    elif problem == "stage":
        Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.CLOSED)
    else:
        judge(evaluation, "student_judged", the_enrollment(world, cycle), world.coordinator, 9)
    with pytest.raises(EvaluationError, match=expected):
        finalize_evaluation(evaluation=evaluation, by=by)
    evaluation.refresh_from_db()
    assert evaluation.status != EvaluationStatus.FINALIZED


def test_a_judgment_withdrawn_since_the_computation_needs_a_recompute(world, cycle, computed):
    Judgment.objects.filter(evaluation=computed, criterion__code="student_judged").first().delete()
    with pytest.raises(EvaluationError, match="Re-compute first"):
        finalize_evaluation(evaluation=computed, by=world.coordinator)
    evaluation = compute(cycle, world.coordinator)
    assert finalize_evaluation(evaluation=evaluation, by=world.coordinator).is_final


def test_superusers_finalize_too(world, computed):
    operator = f.UserFactory(is_staff=True, is_superuser=True)
    assert finalize_evaluation(evaluation=computed, by=operator).finalized_by == operator


def test_finalize_blocks_every_change_path(client, world, cycle, computed):
    """Admin, views, services and the task: nothing in a finalized evaluation changes."""
    enrollment = the_enrollment(world, cycle)
    evaluation = finalize_evaluation(evaluation=computed, by=world.coordinator)
    before = rows(evaluation)
    # Services and the task.
    with pytest.raises(EvaluationError, match="finalized"):
        compute_evaluation(evaluation=evaluation, by=world.coordinator)
    with pytest.raises(EvaluationError, match="finalized"):
        prepare_computation(cycle=cycle)
    assert compute_evaluation_task.run(evaluation.pk, world.coordinator.pk)
    row = JudgmentRow(criterion(cycle, "student_judged"), enrollment.pk, 3)
    with pytest.raises(JudgingError, match="finalized"):
        save_judgments(evaluation=evaluation, judge=world.steering, rows=[row])
    # The evaluation page and the judging page.
    client.force_login(world.coordinator)
    page = client.get(url(cycle))
    assert page.context["can_compute"] is False and page.context["can_finalize"] is False
    assert "Finalized by Cora Coordinator on" in page.text
    assert 'value="Re-compute"' not in page.text and 'id="finalize-link"' not in page.text
    assert "finalized" in client.post(url(cycle, "compute"), follow=True).text
    client.post(url(cycle, "finalize"))
    client.force_login(world.steering)
    judging = client.get(judge_url(cycle))
    assert judging.context["form"] is None
    data = {f"score-{enrollment.pk}-{row.criterion.pk}": "3"}
    assert "finalized" in client.post(judge_url(cycle), data, follow=True).text
    # The models themselves.
    judgment = Judgment.objects.filter(evaluation=evaluation).first()
    judgment.score = 1
    for change in (judgment.save, judgment.delete):
        with pytest.raises(EvaluationFinalized):
            change()
    for model in (Score, Standing):
        stored = model.objects.filter(evaluation=evaluation).first()
        with pytest.raises(EvaluationFinalized):
            stored.save()
        with pytest.raises(EvaluationFinalized):
            stored.delete()
    assert rows(evaluation) == before
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FINALIZED
    assert evaluation.finalized_by == world.coordinator


def test_the_plain_admin_changes_nothing_even_for_a_superuser(client, world, computed):
    operator = f.UserFactory(is_staff=True, is_superuser=True)
    evaluation = finalize_evaluation(evaluation=computed, by=operator)
    client.force_login(operator)
    judgment = Judgment.objects.filter(evaluation=evaluation).first()
    for model, obj in ((Evaluation, evaluation), (Judgment, judgment)):
        name = f"admin:assessments_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_add")).status_code == 403
        assert client.post(reverse(f"{name}_delete", args=[obj.pk])).status_code == 403
        change = client.get(reverse(f"{name}_change", args=[obj.pk]))
        assert change.status_code == 200 and not change.context["has_change_permission"]
    # Scores and standings have no admin of their own: the evaluation page shows them.
    assert not admin.site.is_registered(Score) and not admin.site.is_registered(Standing)
    evaluation.refresh_from_db()
    assert evaluation.is_final and Judgment.objects.filter(pk=judgment.pk).exists()


def test_the_confirmation_page_says_what_freezes(client, world, cycle, computed):
    client.force_login(world.coordinator)
    page = client.get(url(cycle))
    assert f'href="{url(cycle, "finalize")}"' in page.text
    confirm = client.get(url(cycle, "finalize"))
    assert "This cannot be undone." in confirm.text and "Yes, finalize" in confirm.text
    computed.refresh_from_db()
    assert computed.status == EvaluationStatus.COMPUTED  # a GET changes nothing
    data = {"confirmed": "1", "acknowledge": "on"}
    response = client.post(url(cycle, "finalize"), data, follow=True)
    assert "The evaluation is finalized." in response.text
    assert Evaluation.objects.get(cycle=cycle).is_final
    # The finalized page sends the coordinator on to the stage move, then to the awards.
    cycle_page = reverse("admin:programs_cycle_change", args=[cycle.pk])
    assert f'href="{cycle_page}"' in response.text.split('id="evaluation-next"')[1]
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.REWARD)
    awards_page = reverse("admin:assessments_award_cycle", args=[cycle.pk])
    assert f'href="{awards_page}"' in client.get(url(cycle)).text


def test_the_page_says_why_it_cannot_be_finalized_yet(client, world, cycle, computed):
    judge(computed, "student_judged", the_enrollment(world, cycle), world.coordinator, 9)
    client.force_login(world.coordinator)
    page = client.get(url(cycle))
    assert 'id="finalize-link"' not in page.text
    assert "Re-compute first" in page.text
    confirm = client.get(url(cycle, "finalize"))
    assert "Re-compute first" in confirm.text and "Yes, finalize" not in confirm.text
    client.post(url(cycle, "finalize"), {"confirmed": "1", "acknowledge": "on"})
    assert not Evaluation.objects.get(cycle=cycle).is_final


def test_steering_members_see_no_button_and_may_not_finalize(client, world, cycle, computed):
    client.force_login(world.steering)
    assert 'id="finalize-link"' not in client.get(url(cycle)).text
    assert client.get(url(cycle, "finalize")).status_code == 403
    data = {"confirmed": "1", "acknowledge": "on"}
    assert client.post(url(cycle, "finalize"), data).status_code == 403
    client.force_login(world.other_coordinator)
    assert client.post(url(cycle, "finalize"), data).status_code == 404
    assert client.get(url(cycle, "finalize")).status_code == 404
    client.logout()
    assert reverse("admin:login") in client.post(url(cycle, "finalize"), data).url
    assert not Evaluation.objects.get(cycle=cycle).is_final


def test_the_reward_stage_needs_a_final_evaluation(world, cycle, computed):
    with pytest.raises(StageTransitionError, match="evaluation is not finalized yet"):
        advance_stage(cycle=cycle, by=world.coordinator)
    finalize_evaluation(evaluation=computed, by=world.coordinator)
    advance_stage(cycle=cycle, by=world.coordinator)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.REWARD


@pytest.mark.parametrize("stage", [Stage.REWARD, Stage.CLOSED])
def test_after_the_evaluation_stage_everything_is_read_only(client, world, cycle, stage):
    evaluation = compute(cycle, world.coordinator)
    before = rows(evaluation)
    Cycle.objects.filter(pk=cycle.pk).update(stage=stage)
    client.force_login(world.coordinator)
    page = client.get(url(cycle))
    assert not page.context["can_compute"] and not page.context["can_finalize"]
    client.post(url(cycle, "compute"))
    client.post(url(cycle, "finalize"))
    client.force_login(world.steering)
    enrollment = the_enrollment(world, cycle)
    judged = criterion(cycle, "student_judged")
    client.post(judge_url(cycle), {f"score-{enrollment.pk}-{judged.pk}": "2"})
    assert rows(evaluation) == before
    assert Evaluation.objects.get(cycle=cycle).status == EvaluationStatus.COMPUTED
