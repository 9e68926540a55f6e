"""Kick-off needs the cycle's students matched: to mentors, or to coaching groups."""

import pytest
from django.utils import timezone

from programs.models import ProgramKind, Stage
from programs.services import StageTransitionError, advance_stage, stage_refusals
from tests import factories as f

pytestmark = pytest.mark.django_db


def selection_cycle(program):
    cycle = f.CycleFactory(program=program, name="2027-2028", stage=Stage.SELECTION)
    f.EngagementFactory(cycle=cycle)
    f.EnrollmentFactory(cycle=cycle, status="applied")
    return cycle


def committed_run(cycle, by, **kwargs):
    return f.MatchingRunFactory(
        cycle=cycle, created_by=by, status="committed", committed_at=timezone.now(), **kwargs
    )


def test_mentor_program_needs_a_committed_mentor_matching(world):
    cycle = selection_cycle(world.program)
    f.MatchingRunFactory(cycle=cycle, created_by=world.coordinator)  # a preview only
    committed_run(cycle, world.coordinator, level="group")
    with pytest.raises(StageTransitionError) as error:
        advance_stage(cycle=cycle, by=world.coordinator)
    assert "has not been committed yet" in str(error.value)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.SELECTION

    committed_run(cycle, world.coordinator)
    advance_stage(cycle=cycle, by=world.coordinator)
    cycle.refresh_from_db()
    assert cycle.stage == Stage.KICK_OFF


def test_mentor_program_needs_matches_published(world):
    cycle = selection_cycle(world.program)
    run = committed_run(cycle, world.coordinator)
    match = f.MatchFactory(
        enrollment=cycle.enrollments.get(), engagement=cycle.engagements.get(), run=run
    )
    assert stage_refusals(cycle=cycle, to_stage=Stage.KICK_OFF) == [
        "1 match is not published yet: publish it on the matching page first."
    ]
    match.published_at = timezone.now()
    match.save(update_fields=["published_at"])
    assert stage_refusals(cycle=cycle, to_stage=Stage.KICK_OFF) == []


def test_coaching_program_needs_students_in_groups(world):
    program = f.ProgramFactory(name="Coaching 2", kind=ProgramKind.COACHING)
    cycle = selection_cycle(program)
    committed_run(cycle, world.coordinator)  # mentor level does not count here
    reasons = stage_refusals(cycle=cycle, to_stage=Stage.KICK_OFF)
    assert reasons and "No student is in a coaching group yet" in reasons[0]

    group = f.GroupFactory(cycle=cycle, kind="industry")
    f.GroupMembershipFactory(group=group, role="chief")
    assert stage_refusals(cycle=cycle, to_stage=Stage.KICK_OFF)
    f.GroupMembershipFactory(
        group=group, role="student", mentor=None, student=cycle.enrollments.get().student
    )
    assert stage_refusals(cycle=cycle, to_stage=Stage.KICK_OFF) == []


def test_coaching_program_accepts_a_committed_group_matching(world):
    program = f.ProgramFactory(name="Coaching 2", kind=ProgramKind.COACHING)
    cycle = selection_cycle(program)
    committed_run(cycle, world.coordinator, level="group")
    assert stage_refusals(cycle=cycle, to_stage=Stage.KICK_OFF) == []
