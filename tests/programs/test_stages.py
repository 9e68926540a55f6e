import pytest
from django.utils import timezone

from assessments.models import Evaluation
from programs.models import Stage, StageTransition
from programs.services import StageTransitionError, advance_stage, stage_refusals
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_cycle_moves_forward_one_stage_and_records_who(world):
    cycle = f.CycleFactory(program=world.program, name="2027", stage=Stage.SETUP)
    advance_stage(cycle=cycle, by=world.coordinator)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.SELECTION
    assert cycle.stage_changed_at is not None
    transition = StageTransition.objects.get(cycle=cycle)
    assert (transition.from_stage, transition.to_stage) == (Stage.SETUP, Stage.SELECTION)
    assert transition.by == world.coordinator


def test_full_path_to_closed(world):
    cycle = world.cycle  # tracking, with an accepted mentor and an enrolled student
    for expected in (Stage.EVALUATION, Stage.REWARD, Stage.CLOSED):
        if expected == Stage.REWARD:
            # The evaluation guard (tests/assessments/test_evaluation_finalize.py) wants it final.
            Evaluation.objects.create(
                cycle=cycle,
                status="finalized",
                finalized_at=timezone.now(),
                finalized_by=world.coordinator,
            )
        advance_stage(cycle=cycle, by=world.coordinator)
        cycle.refresh_from_db()
        assert cycle.stage == expected
    assert list(cycle.transitions.values_list("to_stage", flat=True)) == [
        Stage.EVALUATION,
        Stage.REWARD,
        Stage.CLOSED,
    ]


def test_skipping_a_stage_is_refused_with_reason(world):
    cycle = f.CycleFactory(program=world.program, name="2027", stage=Stage.SETUP)
    with pytest.raises(StageTransitionError) as error:
        advance_stage(cycle=cycle, by=world.coordinator, to_stage=Stage.TRACKING)
    assert "can only move on to" in str(error.value)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.SETUP
    assert not cycle.transitions.exists()


def test_moving_back_is_refused(world):
    with pytest.raises(StageTransitionError):
        advance_stage(cycle=world.cycle, by=world.coordinator, to_stage=Stage.KICK_OFF)


def test_closed_cycle_cannot_move(world):
    cycle = f.CycleFactory(program=world.program, name="2024", stage=Stage.CLOSED)
    reasons = stage_refusals(cycle=cycle, to_stage=Stage.SETUP)
    assert reasons == ["The cycle is closed; its stage cannot change."]
    with pytest.raises(StageTransitionError):
        advance_stage(cycle=cycle, by=world.coordinator)


def test_kick_off_needs_accepted_mentor_and_enrolled_student(world):
    cycle = f.CycleFactory(program=world.program, name="2027", stage=Stage.SELECTION)
    with pytest.raises(StageTransitionError) as error:
        advance_stage(cycle=cycle, by=world.coordinator)
    message = str(error.value)
    assert "No mentor has accepted" in message
    assert "No student is enrolled" in message
    assert cycle.transitions.count() == 0

    f.EngagementFactory(cycle=cycle, status="invited")
    f.EnrollmentFactory(cycle=cycle, status="withdrawn")
    with pytest.raises(StageTransitionError):
        advance_stage(cycle=cycle, by=world.coordinator)

    f.EngagementFactory(cycle=cycle, status="accepted")
    f.EnrollmentFactory(cycle=cycle, status="applied")
    # The matching guard (tests/mentorship/test_stage_guards.py) wants a committed run.
    f.MatchingRunFactory(
        cycle=cycle, created_by=world.coordinator, status="committed", committed_at=timezone.now()
    )
    advance_stage(cycle=cycle, by=world.coordinator)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.KICK_OFF


def test_refusal_is_translated(world):
    from django.utils import translation

    cycle = f.CycleFactory(program=world.program, name="2024", stage=Stage.CLOSED)
    with translation.override("zh-hans"):
        reasons = stage_refusals(cycle=cycle, to_stage=Stage.SETUP)
    assert reasons != ["The cycle is closed; its stage cannot change."]
