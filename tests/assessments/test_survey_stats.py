"""Response and satisfaction rates of the end-of-cycle survey."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import SurveyAnswer, SurveyResponse
from assessments.survey_stats import survey_figures, surveyed_enrollments
from mentorship.models import EnrollmentStatus
from programs.models import SurveyQuestion
from tests import factories as f

pytestmark = pytest.mark.django_db


def answer(cycle, enrollment=None, engagement=None, values=(), text=""):
    user = (enrollment.student if enrollment else engagement.mentor).user
    audience = "student" if enrollment else "mentor"
    response = SurveyResponse.objects.create(
        cycle=cycle,
        respondent=user,
        audience=audience,
        enrollment=enrollment,
        engagement=engagement,
        submitted_at=timezone.now(),
    )
    questions = SurveyQuestion.objects.filter(program=cycle.program, audience=audience)
    likert = list(questions.filter(kind="likert"))
    for question, value in zip(likert, values, strict=False):
        SurveyAnswer.objects.create(response=response, question=question, value=value)
    if text:
        SurveyAnswer.objects.create(
            response=response, question=questions.filter(kind="text").first(), text=text
        )


def matched(cycle, n):
    return [f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.MATCHED) for _ in range(n)]


def test_rates_count_4_and_5_as_satisfied_and_people_not_answers(world):
    cycle = world.cycle
    surveyed_enrollments(cycle).update(status=EnrollmentStatus.APPLIED)
    first, second, _silent = matched(cycle, 3)
    engagement = world.mentor.mentor_profile.engagements.get(cycle=cycle)
    answer(cycle, enrollment=first, values=[5, 4, 3], text="More salons.")
    answer(cycle, enrollment=second, values=[2, 5, 5])
    answer(cycle, engagement=engagement, values=[4, 4])
    figures = survey_figures(cycle)
    assert (figures.students_asked, figures.students_answered) == (3, 2)
    assert figures.mentors_answered == 1
    # Overall: the first student (5) and the mentor (4) are satisfied, the
    # second student (2) is not; their other answers do not pool into it.
    assert (figures.rated, figures.satisfied) == (3, 2)
    assert figures.satisfaction_rate == pytest.approx(2 / 3) and not figures.meets_target
    only_first = survey_figures(
        cycle,
        enrollments=surveyed_enrollments(cycle).filter(pk=first.pk),
        engagements=engagement.__class__.objects.none(),
    )
    assert (only_first.asked, only_first.answered, only_first.satisfied) == (1, 1, 1)


def test_no_answers_no_rate(world):
    figures = survey_figures(world.cycle)
    assert figures.satisfaction_rate is None and not figures.meets_target


def test_queries_do_not_grow(world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            survey_figures(world.cycle)
        return len(queries)

    small = count()
    for enrollment in matched(world.cycle, 4):
        answer(world.cycle, enrollment=enrollment, values=[5, 5, 5])
    assert count() == small == 3
