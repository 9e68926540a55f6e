"""Computing an evaluation refreshes the planner statistics of the scores and
standings it inserted: planned from the tables as they were before (empty,
say), an awards page query took 25 s at 11,000 students until ANALYZE ran."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Score, Standing
from tests.mentorship.test_seed_demo_statistics import assert_analysed_after_last_insert

from .evaluation_helpers import compute, evaluating, populate

pytestmark = pytest.mark.django_db

# The inserts run as one executemany on SQLite, logged as "<n> times: <sql>".
MANY = re.compile(r"^\d+ times: ")


def statements(queries):
    return [{"sql": MANY.sub("", query["sql"])} for query in queries]


def test_the_compute_analyses_the_scores_and_standings_it_inserted(world):
    cycle = evaluating(world.cycle)
    populate(cycle, students=2, judge_user=world.steering)

    with CaptureQueriesContext(connection) as queries:
        compute(cycle, world.coordinator)

    assert_analysed_after_last_insert(statements(queries.captured_queries), [Score, Standing])
