"""Rules the database holds for evaluation rows: one subject each, once per
scope, judgments 1-10, departures from the award proposal with a reason."""

import pytest
from django.db import IntegrityError, transaction

from assessments.models import Award, Evaluation, Judgment, Score, SurveyResponse
from programs.models import AwardCategory, RubricCriterion
from tests import factories as f

pytestmark = pytest.mark.django_db


def violates(func):
    with pytest.raises(IntegrityError), transaction.atomic():
        func()


@pytest.fixture
def evaluation(world):
    return Evaluation.objects.create(cycle=world.cycle)


def criterion(world, code):
    return RubricCriterion.objects.get(program=world.program, code=code)


def test_a_score_names_exactly_its_subject_once(world, evaluation):
    enrollment = world.student.student_profile.enrollments.get(cycle=world.cycle)
    engagement = world.mentor.mentor_profile.engagements.get(cycle=world.cycle)
    plan = criterion(world, "student_deliverables")

    def score(**fields):
        return lambda: Score.objects.create(evaluation=evaluation, criterion=plan, **fields)

    violates(score(subject="student"))
    violates(score(subject="student", engagement=engagement))
    violates(score(subject="student", enrollment=enrollment, engagement=engagement))
    score(subject="student", enrollment=enrollment, value=50)()
    violates(score(subject="student", enrollment=enrollment, value=60))
    violates(score(subject="mentor", engagement=engagement, value=101))


def test_judgments_run_from_1_to_10_once_per_judge(world, evaluation):
    group = f.GroupFactory(cycle=world.cycle)
    judged = criterion(world, "group_judged")

    def judge(score, by=world.steering):
        return lambda: Judgment.objects.create(
            evaluation=evaluation,
            criterion=judged,
            judge=by,
            subject="group",
            group=group,
            score=score,
        )

    violates(judge(0))
    violates(judge(11))
    judge(7)()
    violates(judge(8))
    judge(8, by=world.coordinator)()


def test_departing_from_the_proposal_needs_a_reason(world, evaluation):
    enrollment = world.student.student_profile.enrollments.get(cycle=world.cycle)
    category = AwardCategory.objects.get(program=world.program, code="outstanding_student")

    def award(**fields):
        return lambda: Award.objects.create(
            evaluation=evaluation,
            category=category,
            subject="student",
            enrollment=enrollment,
            **fields,
        )

    violates(award(proposed=False, decision="confirmed"))
    violates(award(proposed=True, decision="declined"))
    violates(
        award(proposed=True, decision="pending", published_at=evaluation.cycle.program.created_at)
    )
    award(proposed=False, decision="confirmed", reason="Led the alumni salon all year.")()


def test_one_survey_response_per_person_and_cycle(world):
    enrollment = world.student.student_profile.enrollments.get(cycle=world.cycle)

    def respond():
        return SurveyResponse.objects.create(
            cycle=world.cycle,
            respondent=world.student,
            audience="student",
            enrollment=enrollment,
            submitted_at=world.cycle.program.created_at,
        )

    respond()
    violates(respond)
    violates(
        lambda: SurveyResponse.objects.create(
            cycle=world.cycle,
            respondent=world.student,
            audience="mentor",
            enrollment=enrollment,
            submitted_at=world.cycle.program.created_at,
        )
    )
