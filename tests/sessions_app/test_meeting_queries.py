"""Meeting lists and the homes cost the same number of queries at any size."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.mentorship.test_home_queries import HOME_QUERY_BUDGET, count_queries
from tests.mentorship.test_home_queries import grow as grow_homes

pytestmark = pytest.mark.django_db


def grow(world, mentoring, size):
    """``size`` more mentees, each with a confirmed, a pending and a disputed
    meeting, plus a group meeting with the student persona, and the home data."""
    grow_homes(world, size)
    for i in range(size):
        student = f.MatchFactory(
            engagement=mentoring.engagement,
            enrollment__cycle=world.cycle,
            published_at=timezone.now(),
        ).enrollment.student
        for days, status in ((2, "confirmed"), (4, "pending"), (6, "disputed")):
            f.MeetingParticipantFactory(
                meeting__cycle=world.cycle,
                meeting__author=mentoring.mentor,
                meeting__starts_at=timezone.now() - datetime.timedelta(days=days, hours=i),
                student=student,
                status=status,
            )
        shared = f.MeetingFactory(cycle=world.cycle, author=mentoring.mentor, group=world.team)
        f.MeetingParticipantFactory(meeting=shared, student=mentoring.student)
        f.MeetingParticipantFactory(meeting=shared, student=student, status="confirmed")


@pytest.mark.parametrize(
    ("persona", "url_name", "budget"),
    [
        ("mentor", "mentor_meetings", 12),
        ("mentor", "mentor_home", HOME_QUERY_BUDGET),
        ("student", "student_meetings", 10),
        ("student", "student_home", HOME_QUERY_BUDGET),
    ],
)
def test_query_count_does_not_grow(client, world, mentoring, persona, url_name, budget):
    client.force_login(getattr(world, persona))
    url = reverse(url_name)
    grow(world, mentoring, 1)
    small = count_queries(client, url)
    grow(world, mentoring, 5)
    large = count_queries(client, url)
    assert small == large
    assert large <= budget


def test_the_meeting_form_and_detail_do_not_grow(client, world, mentoring):
    client.force_login(world.mentor)
    grow(world, mentoring, 1)
    meeting = f.MeetingFactory(cycle=world.cycle, author=mentoring.mentor)
    f.MeetingParticipantFactory(meeting=meeting, student=mentoring.student)
    urls = [
        reverse("mentor_meeting_new"),
        reverse("mentor_meeting", args=[meeting.pk]),
        reverse("mentor_meeting_edit", args=[meeting.pk]),
    ]
    small = [count_queries(client, url) for url in urls]
    grow(world, mentoring, 5)
    for _ in range(5):
        f.MeetingParticipantFactory(
            meeting=meeting,
            student=f.MatchFactory(
                engagement=mentoring.engagement,
                enrollment__cycle=world.cycle,
                published_at=timezone.now(),
            ).enrollment.student,
        )
    assert [count_queries(client, url) for url in urls] == small
