"""The satisfaction rate is the share of respondents satisfied overall, the
same figure on the dashboard, the results page and the download."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.survey import submit_survey
from assessments.survey_stats import survey_figures
from programs.models import SurveyQuestion
from tests import factories as f

from .survey_helpers import open_survey

pytestmark = pytest.mark.django_db

# (overall, mentor, activities): 2 of 3 satisfied overall, 4 of 9 answers 4 or 5.
ANSWERS = ((5, 1, 1), (4, 2, 2), (2, 5, 5))


@pytest.fixture
def cycle(world):
    cycle = open_survey(world.cycle)
    codes = ("student_overall", "student_mentor", "student_activities")
    questions = {q.code: q for q in SurveyQuestion.objects.filter(program=cycle.program)}
    for values in ANSWERS:
        enrollment = f.EnrollmentFactory(cycle=cycle)
        answers = {questions[code].pk: value for code, value in zip(codes, values, strict=True)}
        answers[questions["student_comments"].pk] = ""
        submit_survey(
            cycle=cycle,
            respondent=enrollment.student.user,
            audience="student",
            participation=enrollment,
            answers=answers,
        )
    return cycle


def test_the_rate_counts_respondents_satisfied_overall_not_pooled_answers(cycle):
    figures = survey_figures(cycle)
    assert (figures.rated, figures.satisfied) == (3, 2)
    assert figures.satisfaction_rate == pytest.approx(2 / 3)
    spread = {share.question.code: (share.satisfied, share.rated) for share in figures.questions}
    assert spread == {
        "student_overall": (2, 3),
        "student_mentor": (1, 3),
        "student_activities": (1, 3),
    }


def test_dashboard_results_page_and_download_show_the_same_rate(client, world, cycle):
    client.force_login(world.coordinator)
    dashboard = client.get(reverse("cycle_dashboard", args=[cycle.pk])).text
    card = re.search(r'id="dashboard-satisfaction-card">([^<]*)<', dashboard).group(1)
    assert card == "67%"
    assert re.search(r'id="dashboard-satisfaction">2 / 3 \(67%\)<', dashboard)
    results = client.get(reverse("admin:assessments_surveyresponse_results", args=[cycle.pk]))
    cell = re.search(r'id="satisfaction-rate">\s*([^\s<]*)', results.text).group(1)
    assert cell == "67%"
    # The per-question spread is beside it: the mentor question's 1 of 3.
    assert 'id="survey-spread"' in results.text and "33% (1 / 3)" in results.text
    download = client.get(reverse("admin:assessments_surveyresponse_results_csv", args=[cycle.pk]))
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    overall = next(row for row in rows if row[0].startswith("Satisfied overall"))
    assert overall[1:] == ["3", "2", "67"]


def test_the_download_is_for_the_results_pages_readers_only(client, world, cycle):
    url = reverse("admin:assessments_surveyresponse_results_csv", args=[cycle.pk])
    assert "/login/" in client.get(url).url
    client.force_login(world.student)
    assert "/login/" in client.get(url).url
    client.force_login(world.other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(f.UserFactory(is_staff=True))
    assert client.get(url).status_code == 403
    client.force_login(world.steering)
    assert client.get(url).status_code == 200


def _answer(cycle, values):
    codes = ("student_overall", "student_mentor", "student_activities")
    questions = {q.code: q for q in SurveyQuestion.objects.filter(program=cycle.program)}
    enrollment = f.EnrollmentFactory(cycle=cycle)
    answers = {questions[code].pk: value for code, value in zip(codes, values, strict=True)}
    answers[questions["student_comments"].pk] = ""
    submit_survey(
        cycle=cycle,
        respondent=enrollment.student.user,
        audience="student",
        participation=enrollment,
        answers=answers,
    )


def test_the_download_costs_the_same_queries_with_more_respondents(client, world, cycle):
    url = reverse("admin:assessments_surveyresponse_results_csv", args=[cycle.pk])
    client.force_login(world.coordinator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    for values in ANSWERS * 4:
        _answer(cycle, values)
    assert queries() == small
