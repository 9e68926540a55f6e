"""The rubric, award quotas and survey questions a program starts with, and
the rules the database holds for them."""

import importlib

import pytest
from django.db import IntegrityError, transaction

from programs.evaluation_rules import MEASURES_FOR, Measure, RubricCriterion, SurveyQuestion
from programs.models import AwardCategory, AwardSubject
from programs.services import apply_default_rules
from tests import factories as f

pytestmark = pytest.mark.django_db


def violates(func):
    with pytest.raises(IntegrityError), transaction.atomic():
        func()


def test_new_programs_get_the_seed_rubric_and_survey():
    program = f.ProgramFactory()
    criteria = RubricCriterion.objects.filter(program=program)
    by_subject = {
        subject: {c.measure for c in criteria if c.subject == subject} for subject in AwardSubject
    }
    # Every subject has the steering group's judgment beside computed measures.
    assert all(Measure.JUDGED in measures for measures in by_subject.values())
    assert Measure.DELIVERABLES in by_subject[AwardSubject.STUDENT]
    assert all(by_subject[s] <= MEASURES_FOR[s] for s in AwardSubject)
    questions = SurveyQuestion.objects.filter(program=program)
    assert questions.filter(audience="student", about_mentor=True, kind="likert").count() == 1
    assert questions.filter(audience="mentor").exists()
    apply_default_rules(program=program)
    assert RubricCriterion.objects.filter(program=program).count() == criteria.count()


def test_the_migration_adds_the_same_defaults_to_existing_programs():
    migration = importlib.import_module("programs.migrations.0005_evaluation_rules")
    assert {
        code: (name, subject, measure, weight)
        for code, (name, subject, measure, weight) in migration.RUBRIC.items()
    } == {
        code: (
            RubricCriterion.DEFAULT_LABELS[code],
            fields["subject"],
            fields["measure"],
            fields["weight"],
        )
        for code, fields in RubricCriterion.DEFAULTS.items()
    }
    # A later migration marks the same criteria that break ties by default.
    tie_breakers = importlib.import_module("programs.migrations.0008_rubric_tie_breaker")
    assert set(tie_breakers.TIE_BREAKERS) == {
        code for code, fields in RubricCriterion.DEFAULTS.items() if fields.get("breaks_ties")
    }
    assert {
        code: (name, audience, kind)
        for code, (name, audience, kind, _about) in migration.QUESTIONS.items()
    } == {
        code: (SurveyQuestion.DEFAULT_LABELS[code], fields["audience"], fields["kind"])
        for code, fields in SurveyQuestion.DEFAULTS.items()
    }


def test_a_measure_must_fit_what_is_evaluated_and_weights_stay_in_range():
    program = f.ProgramFactory(rules=False)

    def criterion(**fields):
        return lambda: RubricCriterion.objects.create(program=program, code="x", name="X", **fields)

    violates(criterion(subject="mentor", measure=Measure.DELIVERABLES, weight=10))
    violates(criterion(subject="group", measure=Measure.JUDGED, weight=0))
    violates(criterion(subject="group", measure=Measure.JUDGED, weight=101))
    criterion(subject="group", measure=Measure.JUDGED, weight=100)()


def test_a_quota_is_a_number_or_a_share():
    category = AwardCategory.objects.filter(program=f.ProgramFactory()).first()
    AwardCategory.objects.filter(pk=category.pk).update(quota=None, quota_percent=10)
    violates(lambda: AwardCategory.objects.filter(pk=category.pk).update(quota=3))
    violates(lambda: AwardCategory.objects.filter(pk=category.pk).update(quota_percent=0))
    violates(lambda: AwardCategory.objects.filter(pk=category.pk).update(quota_percent=101))


def test_only_a_student_rating_can_be_about_the_mentor():
    program = f.ProgramFactory(rules=False)
    violates(
        lambda: SurveyQuestion.objects.create(
            program=program, code="m", name="?", audience="mentor", about_mentor=True
        )
    )
    violates(
        lambda: SurveyQuestion.objects.create(
            program=program, code="t", name="?", audience="student", kind="text", about_mentor=True
        )
    )
