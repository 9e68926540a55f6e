"""Each home page costs the same number of queries however much data it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db

# The homes gather every app's sections (mentorship's own, meetings,
# activities, deliverables, competence, opportunities), each in a fixed number
# of queries; the total stays under this whatever the data size. (The mentor's
# review queue reads its students' ids first, so PostgreSQL plans its versions
# query from them: one query more, the work then follows the mentor's load.)
HOME_QUERY_BUDGET = 19


def grow(world, size):
    """Add ``size`` more cycles, groups, engagements and enrollments around the personas."""
    mentor = world.mentor.mentor_profile
    student = world.student.student_profile
    for i in range(size):
        cycle = f.CycleFactory(program=world.program, name=f"extra-{size}-{i}")
        engagement = f.EngagementFactory(mentor=mentor, cycle=cycle)
        enrollment = f.EnrollmentFactory(student=student, cycle=cycle)
        f.EngagementFactory(cycle=cycle)
        f.EnrollmentFactory(cycle=cycle)
        # Published matches both ways: the homes show mentors and mentees.
        f.MatchFactory(enrollment=enrollment, published_at=timezone.now())
        f.MatchFactory(engagement=engagement, published_at=timezone.now())
        f.MatchFactory(engagement=engagement, enrollment__cycle=cycle)
        group = f.GroupFactory(cycle=cycle)
        f.GroupMembershipFactory(group=group, mentor=mentor, role="chief")
        f.GroupMembershipFactory(group=group, role="coach")
        f.GroupMembershipFactory(group=group, role="student", mentor=None, student=student)
        # Placed by a group run, not published: counted nowhere on the homes.
        f.GroupPlacementFactory(group=group)
        f.CycleFactory(program=world.other_program, name=f"other-{size}-{i}")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "persona, home",
    [
        ("coordinator", "coordinator_home"),
        ("steering", "steering_home"),
        ("mentor", "mentor_home"),
        ("student", "student_home"),
    ],
)
def test_home_query_count_does_not_grow(client, world, persona, home):
    client.force_login(getattr(world, persona))
    url = reverse(home)
    grow(world, 1)
    small = count_queries(client, url)
    grow(world, 6)
    large = count_queries(client, url)
    assert small == large
    assert large <= HOME_QUERY_BUDGET
