"""Meetings in the admin: scoped to the coordinator's programs, corrected
through the service after the mentor's window, never added or deleted."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import Meeting, MeetingParticipant
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_meeting(world, meeting):
    """The persona's meeting, confirmed, logged long ago: the mentor's window is closed."""
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    MeetingParticipant.objects.filter(meeting=meeting).update(
        status="confirmed", answered_at=timezone.now()
    )
    return meeting


@pytest.fixture
def foreign_meeting(world):
    participant = f.MeetingParticipantFactory(
        meeting__cycle=world.other_cycle,
        meeting__author=world.other_mentor.mentor_profile,
        meeting__summary="Another program's meeting.",
        student=world.other_student.student_profile,
    )
    return participant.meeting


def change_url(meeting):
    return reverse("admin:sessions_app_meeting_change", args=[meeting.pk])


def admin_form(meeting, **changes):
    data = {
        "starts_at_0": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": timezone.localtime(meeting.starts_at).strftime("%H:%M:%S"),
        "duration_minutes": str(meeting.duration_minutes),
        "mode": meeting.mode,
        "topics": meeting.topics,
        "summary": meeting.summary,
        "next_steps": meeting.next_steps,
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "1",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-id": str(meeting.participants.get().pk),
        "participants-0-meeting": str(meeting.pk),
    }
    data.update(changes)
    return data


def test_the_list_shows_only_the_coordinators_programs(
    client, world, late_meeting, foreign_meeting
):
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:sessions_app_meeting_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [late_meeting]
    assert client.get(change_url(foreign_meeting)).status_code == 302  # admin's "not found"
    assert not Meeting.objects.filter(pk=foreign_meeting.pk, summary="x").exists()


def test_the_coordinator_corrects_after_the_window(client, world, late_meeting):
    client.force_login(world.coordinator)
    assert client.get(change_url(late_meeting)).status_code == 200
    response = client.post(
        change_url(late_meeting), admin_form(late_meeting, summary="Corrected by the office.")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Meeting.objects.get(pk=late_meeting.pk).summary == "Corrected by the office."
    assert MeetingParticipant.objects.get(meeting=late_meeting).status == "pending"


def test_bad_corrections_are_refused(client, world, late_meeting):
    client.force_login(world.coordinator)
    response = client.post(
        change_url(late_meeting), admin_form(late_meeting, duration_minutes="0", summary="New")
    )
    assert response.status_code == 200
    assert Meeting.objects.get(pk=late_meeting.pk).summary == late_meeting.summary


def test_steering_looks_and_other_coordinators_see_nothing(client, world, late_meeting):
    client.force_login(world.steering)
    assert client.get(change_url(late_meeting)).status_code == 200
    client.post(change_url(late_meeting), admin_form(late_meeting, summary="Steering edit"))
    assert Meeting.objects.get(pk=late_meeting.pk).summary == late_meeting.summary
    client.force_login(world.other_coordinator)
    response = client.get(reverse("admin:sessions_app_meeting_changelist"))
    assert list(response.context["cl"].result_list) == []


def test_nobody_adds_or_deletes_meetings_here(client, world, late_meeting):
    client.force_login(world.coordinator)
    assert client.get(reverse("admin:sessions_app_meeting_add")).status_code == 403
    delete = reverse("admin:sessions_app_meeting_delete", args=[late_meeting.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=late_meeting.pk).exists()


def test_the_changelist_does_not_grow(client, world, mentoring):
    client.force_login(world.coordinator)
    url = reverse("admin:sessions_app_meeting_changelist")

    def add(count):
        for _ in range(count):
            f.MeetingParticipantFactory(
                meeting__cycle=world.cycle,
                meeting__author=mentoring.mentor,
                student=mentoring.student,
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(1)
    small = queries()
    add(6)
    assert queries() == small
