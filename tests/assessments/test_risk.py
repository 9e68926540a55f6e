"""One at-risk rule: the mentor home and the progress dashboard flag the same
students, for a long silence or an overdue required deliverable."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.dashboard import Scope, dashboard
from assessments.risk import mentee_overview_at_risk
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def overdue_only(world, mentee):
    """The persona mentee met her mentor two days ago, but the career plan
    was due three days ago and she has handed in nothing."""
    now = timezone.now()
    f.MeetingParticipantFactory(
        meeting__cycle=world.cycle,
        meeting__author=world.mentor.mentor_profile,
        meeting__starts_at=now - 2 * DAY,
        student=mentee.student,
        status="confirmed",
    )
    plan = f.RequirementFactory(cycle=world.cycle, kind_code="career_plan", due_at=now - 3 * DAY)
    return mentee, plan


def flags(world):
    home = {
        match.enrollment_id
        for engagement in mentee_overview_at_risk(world.mentor)
        for match in engagement.mentees
        if match.at_risk
    }
    board = {row.enrollment.pk for row in dashboard(Scope(cycle=world.cycle)).at_risk}
    return home, board


def test_an_overdue_deliverable_flags_the_mentee_on_the_home_as_on_the_dashboard(
    client, world, overdue_only
):
    enrollment, plan = overdue_only
    home, board = flags(world)
    assert enrollment.pk in home and enrollment.pk in board
    client.force_login(world.mentor)
    page = client.get(reverse("mentor_home")).text
    assert "mentee-at-risk" in page and "A required deliverable is overdue" in page
    # Handing in a version clears both.
    f.SubmissionFactory(requirement=plan, enrollment=enrollment)
    home, board = flags(world)
    assert enrollment.pk not in home and enrollment.pk not in board
    assert "mentee-at-risk" not in client.get(reverse("mentor_home")).text
