"""The cycles table of the coordinator and steering homes: its figures, and
how they are counted (each on its own, never over one join of all three)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import EngagementStatus, EnrollmentStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

HOMES = [("coordinator", "coordinator_home"), ("steering", "steering_home")]


def add_people(world):
    """Beside the world's accepted mentor, matched student and team: mentors
    who count (ended) and who do not (invited, declined), a withdrawn
    student, a second group, and an empty cycle."""
    for status in (EngagementStatus.ENDED, EngagementStatus.INVITED, EngagementStatus.DECLINED):
        f.EngagementFactory(cycle=world.cycle, status=status)
    f.EnrollmentFactory(cycle=world.cycle, status=EnrollmentStatus.WITHDRAWN)
    f.EnrollmentFactory(cycle=world.cycle)
    f.GroupFactory(cycle=world.cycle)
    return f.CycleFactory(program=world.program, name="empty")


@pytest.mark.parametrize("persona, home", HOMES)
def test_each_cycle_counts_its_mentors_students_and_groups(client, world, persona, home):
    empty = add_people(world)
    client.force_login(getattr(world, persona))
    (program,) = client.get(reverse(home)).context["programs"]
    cycles = {cycle.pk: cycle for cycle in program.cycles.all()}
    current = cycles[world.cycle.pk]
    # Accepted and ended contracts; everyone not withdrawn; every group.
    assert (current.mentor_count, current.student_count, current.group_count) == (2, 2, 2)
    assert (cycles[empty.pk].mentor_count, cycles[empty.pk].student_count) == (0, 0)
    assert cycles[empty.pk].group_count == 0


@pytest.mark.parametrize("persona, home", HOMES)
def test_the_counts_do_not_multiply_each_other(client, world, persona, home):
    # Counting over one join of engagements, enrollments and groups made
    # mentors x students x groups rows per cycle: 41 million for 26 cycles at
    # benchmark size, 16 s for the page. Each count is its own subquery.
    add_people(world)
    client.force_login(getattr(world, persona))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(home))
    (cycles_sql,) = [q["sql"] for q in queries if '"mentor_count"' in q["sql"]]
    assert "JOIN" not in cycles_sql
    assert cycles_sql.count("SELECT") == 4
