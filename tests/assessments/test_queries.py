"""Deliverable lists and the homes cost the same queries at any data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.mentorship.test_home_queries import HOME_QUERY_BUDGET

pytestmark = pytest.mark.django_db


def grow(world, dl, size):
    """``size`` more cycles of the program, each asking for deliverables the
    persona student submitted and mentors reviewed, and more of the team's students."""
    student = world.student.student_profile
    mentor = world.mentor.mentor_profile
    for i in range(size):
        cycle = f.CycleFactory(program=world.program, name=f"grow-{size}-{i}", stage="tracking")
        enrollment = f.EnrollmentFactory(student=student, cycle=cycle)
        f.MatchFactory(
            enrollment=enrollment,
            engagement=f.EngagementFactory(mentor=mentor, cycle=cycle),
            published_at=timezone.now(),
        )
        for code in ("career_plan", "internship_report"):
            requirement = f.RequirementFactory(cycle=cycle, kind_code=code)
            first = f.SubmissionFactory(requirement=requirement, enrollment=enrollment)
            f.ReviewFactory(submission=first, decision="returned", reviewer=mentor)
            f.SubmissionFactory(requirement=requirement, enrollment=enrollment, number=2)
        # A teammate in the persona cycle, waiting for review.
        mate = f.StudentProfileFactory()
        mate_enrollment = f.EnrollmentFactory(student=mate, cycle=world.cycle)
        f.GroupMembershipFactory(group=world.team, mentor=None, student=mate, role="student")
        f.SubmissionFactory(requirement=dl.plan, enrollment=mate_enrollment)


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    "persona, url_name",
    [
        ("student", "deliverable_list"),
        ("student", "student_home"),
        ("mentor", "review_list"),
        ("mentor", "mentor_home"),
    ],
)
def test_query_count_does_not_grow(client, world, dl, persona, url_name):
    client.force_login(getattr(world, persona))
    url = reverse(url_name)
    grow(world, dl, 1)
    small, small_page = count(client, url)
    grow(world, dl, 5)
    large, large_page = count(client, url)
    assert small == large
    assert large <= (HOME_QUERY_BUDGET if url_name.endswith("_home") else 12)
    assert len(large_page) > len(small_page)


def test_requirement_page_query_count_does_not_grow(client, world, dl):
    client.force_login(world.student)
    url = reverse("deliverable_detail", args=[dl.plan.pk])
    sizes = []
    for _ in range(2):
        for number in range(len(sizes) * 3 + 1, len(sizes) * 3 + 4):
            version = f.SubmissionFactory(
                requirement=dl.plan, enrollment=dl.enrollment, number=number
            )
            f.ReviewFactory(submission=version, reviewer=world.mentor.mentor_profile)
        sizes.append(count(client, url)[0])
    assert sizes[0] == sizes[1]
