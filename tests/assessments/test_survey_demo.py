"""``seed_demo`` answers the closed cycles' surveys: results worth looking at."""

import io

import pytest
from django.core.management import call_command

from assessments.demo_survey import seed_survey
from assessments.models import SurveyAnswer
from assessments.survey_stats import survey_figures
from mentorship.demo.catalogue import ALUMNI, COACHING
from programs.models import Cycle, Stage

pytestmark = pytest.mark.django_db


def test_closed_cycles_have_answers_and_a_second_run_adds_none(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", force=True, stdout=io.StringIO())
    rates = {}
    for program in (ALUMNI, COACHING):
        cycle = Cycle.objects.get(program__name=program, stage=Stage.CLOSED)
        figures = survey_figures(cycle)
        assert 0.8 < figures.response_rate < 1
        assert figures.mentors_answered and figures.students_answered
        rates[program] = figures.satisfaction_rate
        evaluation = cycle.transitions.get(to_stage=Stage.EVALUATION).at
        reward = cycle.transitions.get(to_stage=Stage.REWARD).at
        for response in cycle.survey_responses.all():
            assert evaluation < response.submitted_at < reward
    assert rates[ALUMNI] > 0.9 > rates[COACHING]
    comments = list(SurveyAnswer.objects.exclude(text="").values_list("text", flat=True))
    assert any(text.isascii() for text in comments)
    assert any(not text.isascii() for text in comments)
    assert not Cycle.objects.exclude(stage=Stage.CLOSED).filter(survey_responses__isnull=False)
    assert not any(seed_survey(plan=None, now=None).values())
