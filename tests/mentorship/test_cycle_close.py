"""Closing a cycle ends its mentors' engagements and finishes its matched
students' enrollments, in the move's transaction, and the confirmation page
says how many first."""

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from assessments.models import Evaluation
from mentorship.models import Engagement, EngagementStatus, Enrollment, EnrollmentStatus
from programs import stages
from programs.models import Stage, StageTransition
from programs.services import advance_stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def rewarded(world, mentee):
    """The persona cycle in its reward stage: one accepted mentor, one matched
    student, one applicant who was never matched, one declined invitation."""
    Enrollment.objects.filter(pk=mentee.pk).update(status=EnrollmentStatus.MATCHED)
    f.EnrollmentFactory(cycle=world.cycle, status=EnrollmentStatus.APPLIED)
    f.EngagementFactory(cycle=world.cycle, status=EngagementStatus.DECLINED)
    Evaluation.objects.create(
        cycle=world.cycle,
        status="finalized",
        finalized_at=timezone.now(),
        finalized_by=world.coordinator,
    )
    world.cycle.stage = Stage.REWARD
    world.cycle.save(update_fields=["stage"])
    return world.cycle


def advance_url(cycle):
    return reverse("admin:programs_cycle_advance", args=[cycle.pk])


def test_confirmation_says_how_many_end_and_nothing_changes_yet(client, world, rewarded):
    client.force_login(world.coordinator)
    response = client.get(advance_url(rewarded))
    assert "1 mentor engagement (contract) ends" in response.text
    assert "1 enrollment of a matched student is finished" in response.text
    assert "1 student who was never matched keeps their status." in response.text
    assert Engagement.objects.filter(cycle=rewarded, status="accepted").count() == 1


def test_closing_ends_engagements_and_finishes_enrollments_recorded(client, world, rewarded):
    client.force_login(world.coordinator)
    response = client.post(advance_url(rewarded), {"confirmed": "1", "to_stage": "closed"})
    assert response.status_code == 302
    statuses = dict(
        Engagement.objects.filter(cycle=rewarded).values_list("mentor__user__email", "status")
    )
    assert statuses["mentor@example.test"] == EngagementStatus.ENDED
    assert sorted(statuses.values()) == ["declined", "ended"]
    assert sorted(Enrollment.objects.filter(cycle=rewarded).values_list("status", flat=True)) == [
        "applied",
        "finished",
    ]
    transition = StageTransition.objects.get(cycle=rewarded, to_stage=Stage.CLOSED)
    assert transition.by == world.coordinator
    assert "1 engagements ended, 1 enrollments finished." in transition.note


def test_close_and_its_effects_are_one_transaction(world, rewarded, monkeypatch):
    def failing(*, cycle, by, choices):
        raise IntegrityError("boom")

    effects = {**stages._effects, Stage.CLOSED: [*stages._effects[Stage.CLOSED], failing]}
    monkeypatch.setattr(stages, "_effects", effects)
    with pytest.raises(IntegrityError):
        advance_stage(cycle=rewarded, by=world.coordinator)
    rewarded.refresh_from_db()
    assert rewarded.stage == Stage.REWARD
    assert Engagement.objects.filter(cycle=rewarded, status="accepted").count() == 1
    assert Enrollment.objects.filter(cycle=rewarded, status="matched").count() == 1
