"""The dashboard's per-group completion: one grouped join, right counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.dashboard import Scope, group_completion
from tests import factories as f

from .test_dashboard import cohort  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_counts_each_groups_students_who_handed_in(world, cohort):  # noqa: F811
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["persona"])
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["persona"], number=2)
    f.SubmissionFactory(requirement=cohort["report"], enrollment=cohort["mate"])
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["rival"])
    # A student of the cycle not counted on the dashboard (withdrawn) and an
    # unpublished place are left out, as in the groups' student counts.
    gone = f.EnrollmentFactory(cycle=cohort["cycle"], status="withdrawn")
    f.GroupMembershipFactory(group=world.team, mentor=None, student=gone.student, role="student")
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=gone)
    waiting = f.GroupPlacementFactory(group=cohort["rival_team"])
    waiting_enrollment = f.EnrollmentFactory(student=waiting.student, cycle=cohort["cycle"])
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=waiting_enrollment)
    requirements = [cohort["plan"], cohort["report"]]
    rows = {row.group.pk: row for row in group_completion(Scope(world.cycle), requirements)}
    assert (rows[world.team.pk].students, rows[world.team.pk].submitted) == (2, [1, 1])
    assert rows[cohort["rival_team"].pk].submitted == [1, 0]


def test_no_subquery_runs_per_version(world, cohort):  # noqa: F811
    f.SubmissionFactory(requirement=cohort["plan"], enrollment=cohort["persona"])
    with CaptureQueriesContext(connection) as queries:
        group_completion(Scope(world.cycle), [cohort["plan"]])
    counting = [q["sql"] for q in queries if "COUNT(DISTINCT" in q["sql"]]
    assert len(counting) == 1
    # Before, each version looked up its student's group: SELECT (SELECT ... LIMIT 1).
    assert not counting[0].startswith("SELECT (SELECT")
    assert "GROUP BY" in counting[0]
