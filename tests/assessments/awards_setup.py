"""A cycle in the reward stage with a finalized evaluation: standings are
written directly (their computation has its own tests)."""

from types import SimpleNamespace

from django.utils import timezone

from assessments.awards import propose_awards
from assessments.models import Award, Evaluation, EvaluationStatus, Standing
from mentorship.models import Engagement, Enrollment
from programs.models import AwardCategory, Cycle, Stage
from tests import factories as f


def rewarding(world):
    """The world's cycle in reward with its evaluation finalized: the student
    persona ranks first among students, the mentor persona first among
    mentors, the team first among groups."""
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.REWARD)
    world.cycle.refresh_from_db()
    evaluation = Evaluation.objects.create(
        cycle=world.cycle,
        status=EvaluationStatus.FINALIZED,
        computed_at=timezone.now(),
        finalized_at=timezone.now(),
        finalized_by=world.coordinator,
    )
    enrollment = Enrollment.objects.get(student__user=world.student, cycle=world.cycle)
    engagement = Engagement.objects.get(mentor__user=world.mentor, cycle=world.cycle)
    stand(evaluation, enrollment, 1, 90.0)
    stand(evaluation, engagement, 1, 85.0)
    stand(evaluation, world.team, 1, 80.0)
    return SimpleNamespace(
        evaluation=evaluation,
        enrollment=enrollment,
        engagement=engagement,
        student_award=category(world, "outstanding_student"),
        mentor_award=category(world, "excellent_mentor"),
        group_award=category(world, "outstanding_group"),
    )


def stand(evaluation, subject_object, rank, total):
    key = {"Enrollment": "enrollment", "Engagement": "engagement", "Group": "group"}[
        type(subject_object).__name__
    ]
    subject = {"enrollment": "student", "engagement": "mentor", "group": "group"}[key]
    # bulk_create skips Standing.save(), which refuses rows of a finalized
    # evaluation: these stand in for what its computation wrote before.
    [standing] = Standing.objects.bulk_create(
        [
            Standing(
                evaluation=evaluation,
                subject=subject,
                rank=rank,
                total=total,
                **{key: subject_object},
            )
        ]
    )
    return standing


def students(evaluation, ranks):
    """New enrollments of the evaluation's cycle standing at ``ranks``."""
    enrollments = []
    for rank in ranks:
        enrollment = f.EnrollmentFactory(cycle=evaluation.cycle)
        stand(evaluation, enrollment, rank, 100.0 - rank)
        enrollments.append(enrollment)
    return enrollments


def category(world, code, **quota):
    found = AwardCategory.objects.get(program=world.program, code=code)
    if quota:
        AwardCategory.objects.filter(pk=found.pk).update(**quota)
        found.refresh_from_db()
    return found


def proposed(world, aw, quota):
    """``quota`` fresh candidates of the student category (``aw.top``), none
    decided, in creation order."""
    Award.objects.filter(evaluation=aw.evaluation).delete()
    category(world, "outstanding_student", quota=quota)
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    return list(Award.objects.filter(evaluation=aw.evaluation, category=aw.top).order_by("pk"))


def row(award, decision, reason="", citation=""):
    """One row of the awards page's decisions form, as posted."""
    prefix = f"award-{award.pk}"
    return {
        f"{prefix}-decision": decision,
        f"{prefix}-reason": reason,
        f"{prefix}-citation": citation,
    }
