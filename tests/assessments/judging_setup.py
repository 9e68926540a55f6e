"""A cycle in its final evaluation with two steering members to judge it."""

from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from assessments.models import Evaluation, EvaluationStatus, Judgment
from mentorship.models import Engagement, Enrollment
from programs.models import Cycle, Stage
from tests import factories as f

from .evaluation_helpers import criterion, subject_ref


def judging_world(world):
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.EVALUATION)
    world.cycle.refresh_from_db()
    enrollment = Enrollment.objects.get(student__user=world.student, cycle=world.cycle)
    engagement = Engagement.objects.get(mentor__user=world.mentor, cycle=world.cycle)
    f.MatchFactory(enrollment=enrollment, engagement=engagement, published_at=timezone.now())
    second = f.UserFactory(email="second-judge@example.test", full_name="Stella Second")
    f.StaffRoleFactory(user=second, program=world.program, role="steering")
    return SimpleNamespace(
        enrollment=enrollment,
        engagement=engagement,
        second=second,
        student_judged=criterion(world.cycle, "student_judged"),
        mentor_judged=criterion(world.cycle, "mentor_judged"),
        group_judged=criterion(world.cycle, "group_judged"),
    )


def judge_url(cycle, **query):
    url = reverse("admin:assessments_judgment_judge", args=[cycle.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def overview_url(cycle):
    return reverse("admin:assessments_judgment_overview", args=[cycle.pk])


def judgment(world, judge, criterion, score, comment="", **subject):
    """``subject``: one of enrollment=, engagement= or group=."""
    evaluation, _ = Evaluation.objects.get_or_create(cycle=world.cycle)
    (obj,) = subject.values()
    return Judgment.objects.create(
        evaluation=evaluation,
        criterion=criterion,
        judge=judge,
        score=score,
        comment=comment,
        **subject_ref(obj),
    )


def finalize(world):
    Evaluation.objects.filter(cycle=world.cycle).update(
        status=EvaluationStatus.FINALIZED,
        finalized_at=timezone.now(),
        finalized_by=world.coordinator,
    )
