"""The review queue starts from the mentor's own students, not the cycles'."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.overview import running_reviewable_enrollments
from assessments.permissions import reviewable_enrollments
from mentorship.models import Enrollment
from programs.models import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_same_students_as_the_review_permission_in_running_cycles(world, dl):
    mentor = world.mentor.mentor_profile
    # A published mentee, an unpublished one, a coached group student whose
    # place is not published yet, and a coached student of a closed cycle.
    mentee = f.EnrollmentFactory(cycle=world.cycle)
    engagement = mentor.engagements.get(cycle=world.cycle)
    f.MatchFactory(enrollment=mentee, engagement=engagement, published_at=timezone.now())
    f.MatchFactory(engagement=engagement, enrollment__cycle=world.cycle)
    f.GroupPlacementFactory(group=world.team)
    closed = f.CycleFactory(program=world.program, name="closed", stage=Stage.CLOSED)
    old_team = f.GroupFactory(cycle=closed)
    f.GroupMembershipFactory(group=old_team, mentor=mentor, role="coach")
    old = f.EnrollmentFactory(cycle=closed)
    f.GroupMembershipFactory(group=old_team, mentor=None, student=old.student, role="student")
    # The persona student is also enrolled in the closed cycle, not coached there.
    f.EnrollmentFactory(student=world.student.student_profile, cycle=closed)

    expected = set(
        reviewable_enrollments(world.mentor)
        .exclude(cycle__stage=Stage.CLOSED)
        .values_list("pk", flat=True)
    )
    assert set(running_reviewable_enrollments(world.mentor)) == expected
    assert expected == {dl.enrollment.pk, mentee.pk}
    assert old.pk in set(reviewable_enrollments(world.mentor).values_list("pk", flat=True))
    assert not Enrollment.objects.filter(pk__in=expected, cycle=closed).exists()


@pytest.mark.parametrize("url_name", ["review_list", "mentor_home"])
def test_versions_are_read_for_the_mentors_students_alone(client, world, dl, url_name):
    """The versions query gets the mentor's enrollments as ids: it does not
    test every version of the running cycles against matches and groups."""
    f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment)
    client.force_login(world.mentor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    versions = [
        q["sql"] for q in queries if q["sql"].startswith('SELECT "assessments_submission"."id"')
    ]
    assert versions
    for sql in versions:
        assert "mentorship_match" not in sql
        assert "mentorship_groupmembership" not in sql
