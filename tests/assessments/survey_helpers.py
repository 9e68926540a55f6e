"""Shared by the survey tests: a cycle in its final evaluation and answers."""

import datetime

from django.utils import timezone

from programs.models import Cycle, Stage, SurveyQuestion

EVALUATION_STARTED = timezone.make_aware(datetime.datetime(2027, 6, 1, 10))


def move_to(cycle, stage, at=EVALUATION_STARTED):
    Cycle.objects.filter(pk=cycle.pk).update(stage=stage, stage_changed_at=at)
    cycle.refresh_from_db()
    return cycle


def open_survey(cycle):
    return move_to(cycle, Stage.EVALUATION)


def questions(cycle, audience):
    return list(SurveyQuestion.objects.filter(program=cycle.program, audience=audience))


def full_answers(cycle, audience, value=5, text="Good year."):
    """Every question of ``audience`` answered: agreement ``value``, text ``text``."""
    return {q.pk: value if q.kind == "likert" else text for q in questions(cycle, audience)}


def post_data(cycle, audience, value=5, text="Good year."):
    return {f"q{pk}": answer for pk, answer in full_answers(cycle, audience, value, text).items()}
