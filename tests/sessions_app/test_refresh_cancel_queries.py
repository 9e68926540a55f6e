"""Two pages that answer a POST without saving cost the same number of
queries at any size: the meeting form refreshed for the chosen group's
students (new and edit), and the confirmation of giving up a place at a full
activity, whatever the group and the waiting list hold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app.activities import rsvp
from sessions_app.models import Meeting, Registration
from tests import factories as f

from .activity_world import invited_student, salon  # noqa: F401
from .conftest import meeting_form

pytestmark = pytest.mark.django_db
REFRESH_BUDGET = 15
CONFIRMATION_BUDGET = 8


def posted_queries(client, url, data):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 200
    return len(queries), response


def grow_team(world, mentoring, size):
    """``size`` more published students of the team, each also a published
    mentee of the mentor persona, with a meeting of their own."""
    for _ in range(size):
        student = f.MatchFactory(
            engagement=mentoring.engagement,
            enrollment__cycle=world.cycle,
            published_at=timezone.now(),
        ).enrollment.student
        f.GroupMembershipFactory(
            group=world.team,
            student=student,
            mentor=None,
            role="student",
            published_at=timezone.now(),
        )
        f.MeetingParticipantFactory(
            meeting__cycle=world.cycle, meeting__author=mentoring.mentor, student=student
        )


def offered(response):
    return response.context["form"].fields["students"].queryset.count()


def test_the_meeting_forms_group_refresh_does_not_grow(client, world, mentoring):
    client.force_login(world.mentor)
    meeting = f.MeetingFactory(cycle=world.cycle, author=mentoring.mentor)
    f.MeetingParticipantFactory(meeting=meeting, student=mentoring.student)
    urls = [reverse("mentor_meeting_new"), reverse("mentor_meeting_edit", args=[meeting.pk])]
    data = meeting_form([mentoring.student.pk], group=str(world.team.pk), _refresh="1")
    grow_team(world, mentoring, 1)
    small = [posted_queries(client, url, data) for url in urls]
    offered_small = [offered(response) for _, response in small]
    grow_team(world, mentoring, 6)
    large = [posted_queries(client, url, data) for url in urls]
    assert [n for n, _ in large] == [n for n, _ in small]
    assert max(n for n, _ in large) <= REFRESH_BUDGET
    # The refreshed list did grow: the pages are about the bigger group.
    assert [offered(response) for _, response in large] == [n + 6 for n in offered_small]
    assert Meeting.objects.filter(author=mentoring.mentor).count() == 1 + 7


def test_the_cancel_confirmation_does_not_grow(client, world, salon):  # noqa: F811
    activity = salon.activity
    activity.capacity = 1
    activity.save()
    rsvp(activity=activity, user=world.student, going=True)
    client.force_login(world.student)
    url = reverse("activity_rsvp", args=[activity.pk])
    data = {"going": "0", "next": "/student/"}

    def wait(size):
        for _ in range(size):
            rsvp(activity=activity, user=invited_student(world, activity), going=True)

    wait(1)
    small, response = posted_queries(client, url, data)
    assert "the 1 person on the waiting list" in response.text
    wait(6)
    large, response = posted_queries(client, url, data)
    assert "the first of the 7 people on the waiting list" in response.text
    assert small == large <= CONFIRMATION_BUDGET
    waiting = Registration.objects.filter(activity=activity, status="waitlisted")
    assert waiting.count() == 7
    assert Registration.objects.get(activity=activity, user=world.student).status == "going"
