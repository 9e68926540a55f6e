"""The demo and benchmark seeders refresh the planner statistics of the tables
they bulk-filled, after the last insert, so that the rest of their
transaction (their own later steps, a test, a benchmark) is not planned for
empty tables: on PostgreSQL that once made two demo tests take ten minutes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.demo.bulk import seed_bulk
from mentorship.demo.seed import seed_demo
from mentorship.models import Engagement, Enrollment, GroupMembership, RosterEntry, User
from sessions_app.models import Meeting, Registration

pytestmark = pytest.mark.django_db

# Django's inserts quote the table; the reminders' own SQL (INSERT OR IGNORE
# on SQLite) does not.
STATEMENT = re.compile(r'^\s*(INSERT(?: OR IGNORE)? INTO|ANALYZE)\s+"?(\w+)"?', re.I)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # The demo stores a PDF for an internship report.
    settings.MEDIA_ROOT = tmp_path / "media"


def last_positions(queries):
    """({table: index of its last INSERT}, {table: index of its last ANALYZE})."""
    inserted, analysed = {}, {}
    for index, query in enumerate(queries):
        match = STATEMENT.match(query["sql"])
        if match:
            into = analysed if match[1].upper() == "ANALYZE" else inserted
            into[match[2]] = index
    return inserted, analysed


def assert_analysed_after_last_insert(queries, models):
    inserted, analysed = last_positions(queries)
    late = {
        model._meta.db_table
        for model in models
        if analysed.get(model._meta.db_table, -1) < inserted[model._meta.db_table]
    }
    assert late == set()


def test_the_demo_analyses_every_table_it_filled():
    with CaptureQueriesContext(connection) as queries:
        created, _plan = seed_demo()

    filled = [model for model, count in created.items() if count]
    assert {User, Enrollment, Meeting, Registration} <= set(filled)
    assert_analysed_after_last_insert(queries.captured_queries, filled)


def test_the_bulk_mode_analyses_the_tables_it_filled():
    with CaptureQueriesContext(connection) as queries:
        seed_bulk(students=60, mentors=12, cycles=2)

    assert_analysed_after_last_insert(
        queries.captured_queries,
        [User, RosterEntry, Engagement, Enrollment, GroupMembership],
    )
