"""``seed_demo``'s bulk mode evaluates and rewards every closed benchmark
cycle: the steering group judged everyone, the evaluation is computed from
the cycle's evidence and finalized, awards are proposed within the quotas
and decided by the model's rules; the running cycles have none of it."""

import pytest
from django.db.models import Count

from assessments.models import (
    Award,
    AwardDecision,
    Evaluation,
    EvaluationStatus,
    Judgment,
    Score,
    Standing,
)
from mentorship.demo import bulk
from mentorship.models import Engagement, Enrollment, Group, StaffRole
from programs.models import AwardCategory, Cycle, Program, RubricCriterion, Stage

from ..mentorship.test_seed_demo import seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def programs():
    seed("--students", "120", "--mentors", "24", "--cycles", "3")
    return Program.objects.filter(name__in=[bulk.ALUMNI, bulk.COACHING])


def test_closed_cycles_are_judged_evaluated_and_finalized(programs):
    for program in programs:
        judges = StaffRole.objects.filter(program=program, role="steering")
        assert set(judges.values_list("user__email", flat=True)) == set(bulk.STEERING)
    cycles = Cycle.objects.filter(program__in=programs)
    assert not Evaluation.objects.filter(cycle__in=cycles.exclude(stage=Stage.CLOSED)).exists()
    for cycle in cycles.filter(stage=Stage.CLOSED):
        evaluation = Evaluation.objects.get(cycle=cycle)
        assert evaluation.status == EvaluationStatus.FINALIZED
        assert evaluation.finalized_by.email == bulk.COORDINATOR
        assert evaluation.computed_at < evaluation.finalized_at
        matched = Enrollment.objects.filter(cycle=cycle, match__isnull=False).count()
        mentors = Engagement.objects.filter(cycle=cycle).count()
        groups = Group.objects.filter(cycle=cycle).count()
        judged = RubricCriterion.objects.filter(program=cycle.program, measure="judged")
        expected = sum(
            len(bulk.STEERING) * n * judged.filter(subject=subject).count()
            for subject, n in (("student", matched), ("mentor", mentors), ("group", groups))
        )
        assert Judgment.objects.filter(evaluation=evaluation).count() == expected
        assert (
            not Judgment.objects.filter(evaluation=evaluation)
            .exclude(judge__staff_roles__program=cycle.program, judge__staff_roles__role="steering")
            .exists()
        )
        standings = Standing.objects.filter(evaluation=evaluation)
        assert standings.filter(subject="student").count() == matched
        assert standings.filter(subject="mentor").count() == mentors
        assert standings.filter(rank=1).exists()
        # Scored from the evidence: the judged and the computed criteria alike.
        scores = Score.objects.filter(evaluation=evaluation)
        assert scores.filter(criterion__measure="judged", value__gt=0).exists()
        assert scores.exclude(criterion__measure="judged").filter(value__gt=0).exists()


def test_awards_follow_the_quotas_and_the_decision_rules(programs):
    for evaluation in Evaluation.objects.filter(cycle__program__in=programs):
        awards = Award.objects.filter(evaluation=evaluation)
        assert awards.filter(decision=AwardDecision.CONFIRMED, published_at__isnull=False).exists()
        assert not awards.filter(decision=AwardDecision.PENDING).exists()
        # Departures from the proposal carry the steering group's reason.
        assert not awards.filter(proposed=True, decision="declined", reason="").exists()
        assert not awards.filter(proposed=False, reason="").exists()
        assert awards.filter(proposed=False, decision="confirmed").exists()
        assert not awards.filter(published_at__isnull=False).exclude(decision="confirmed").exists()
        for category in AwardCategory.objects.filter(program=evaluation.cycle.program):
            ranked = Standing.objects.filter(
                evaluation=evaluation, subject=category.subject, rank__isnull=False
            ).count()
            proposed = awards.filter(category=category, proposed=True)
            assert proposed.count() == max(ranked * category.quota_percent // 100, 1)
            places = Standing.objects.filter(
                evaluation=evaluation, subject=category.subject, place__lte=proposed.count()
            )
            field = {"student": "enrollment", "mentor": "engagement", "group": "group"}
            assert set(proposed.values_list(field[category.subject], flat=True)) == set(
                places.values_list(field[category.subject], flat=True)
            )
    twice = Award.objects.values("evaluation", "category", "enrollment", "engagement", "group")
    assert not twice.annotate(n=Count("pk")).filter(n__gt=1).exists()
