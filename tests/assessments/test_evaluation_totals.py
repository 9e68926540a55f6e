"""Totals follow the weights: a property test on random records and weights,
through the whole computation."""

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.evaluation import weighted_total
from assessments.models import Evaluation
from mentorship.models import Enrollment
from programs.models import AwardSubject, RubricCriterion
from tests import factories as f

from .evaluation_helpers import compute, evaluating, judge, standing, version

pytestmark = pytest.mark.django_db

KINDS = ("career_plan", "internship_report", "communication_record")
STUDENT_CODES = [
    code
    for code, fields in RubricCriterion.DEFAULTS.items()
    if fields["subject"] == AwardSubject.STUDENT
]
weights = st.fixed_dictionaries({code: st.integers(1, 100) for code in STUDENT_CODES})
# Per student: how many required deliverables were accepted on time, and a judge's score.
record = st.tuples(st.integers(0, len(KINDS)), st.none() | st.integers(1, 10))


def test_totals_follow_the_weights(world):
    cycle = evaluating(world.cycle)
    for _ in range(3):
        f.EnrollmentFactory(cycle=cycle)
    enrollments = list(Enrollment.objects.filter(cycle=cycle).order_by("pk"))
    requirements = [f.RequirementFactory(cycle=cycle, kind_code=kind) for kind in KINDS]
    Evaluation.objects.create(cycle=cycle)

    @settings(max_examples=25, deadline=None)
    @given(weights=weights, records=st.lists(record, min_size=4, max_size=4))
    def check(weights, records):
        with transaction.atomic():
            for code, weight in weights.items():
                RubricCriterion.objects.filter(program=world.program, code=code).update(
                    weight=weight
                )
            evaluation = Evaluation.objects.get(cycle=cycle)
            for enrollment, (accepted, judged) in zip(enrollments, records, strict=True):
                for requirement in requirements[:accepted]:
                    version(requirement, enrollment, decision="accepted")
                if judged is not None:
                    judge(evaluation, "student_judged", enrollment, world.steering, judged)
            evaluation = compute(cycle, world.coordinator)
            for enrollment, (accepted, judged) in zip(enrollments, records, strict=True):
                # Meetings, spread and self-assessments are expected: none
                # scores 0. No activity was held and nothing was recommended:
                # those do not apply and are left out, as is an unjudged student.
                values = {
                    "student_deliverables": 100 * accepted / len(KINDS),
                    "student_meetings": 0,
                    "student_spread": 0,
                    "student_growth": 0,
                    "student_judged": None if judged is None else 10 * judged,
                }
                counted = [(weights[c], v) for c, v in values.items() if v is not None]
                expected = sum(w * v for w, v in counted) / sum(w for w, _v in counted)
                assert standing(evaluation, enrollment).total == pytest.approx(expected)
            transaction.set_rollback(True)

    check()


@given(
    st.lists(st.tuples(st.integers(1, 100), st.none() | st.floats(0, 100)), min_size=1, max_size=8),
    st.integers(1, 5),
)
def test_weighted_total_is_a_weighted_mean(pairs, factor):
    total = weighted_total(pairs)
    values = [value for _weight, value in pairs if value is not None]
    if not values:
        assert total is None
        return
    assert min(values) - 1e-9 <= total <= max(values) + 1e-9
    # Only the weights' proportions matter.
    scaled = weighted_total([(weight * factor, value) for weight, value in pairs])
    assert scaled == pytest.approx(total)
