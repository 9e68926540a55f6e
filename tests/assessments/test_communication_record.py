"""The communication record: compiled from the student's confirmed meetings, plus a reflection."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Submission
from tests import factories as f

pytestmark = pytest.mark.django_db


def meeting(world, dl, status, summary, days_ago):
    logged = f.MeetingFactory(
        cycle=world.cycle,
        author=dl.matched.mentor_profile,
        summary=summary,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
        topics=["internship"],
    )
    f.MeetingParticipantFactory(
        meeting=logged, student=world.student.student_profile, status=status
    )
    return logged


def submit(client, dl, reflection):
    url = reverse("deliverable_detail", args=[dl.record.pk])
    return client.post(url, {"action": "submit", "reflection": reflection})


def test_the_record_lists_confirmed_meetings_only_and_keeps_them_as_submitted(client, world, dl):
    first = meeting(world, dl, "confirmed", "Talked about the bank internship.", 20)
    meeting(world, dl, "confirmed", "Prepared the interview.", 5)
    meeting(world, dl, "pending", "Not yet confirmed.", 3)
    meeting(world, dl, "disputed", "Never happened like this.", 2)
    client.force_login(world.student)
    submit(client, dl, "I learned to prepare interviews.")
    version = Submission.objects.get(requirement=dl.record)
    record = version.content["meetings"]
    assert record.index("bank internship") < record.index("Prepared the interview")
    assert "Not yet confirmed" not in record and "Never happened" not in record
    assert "Mat Matched" in record and "Internship" in record
    assert version.content["reflection"] == "I learned to prepare interviews."
    # A later correction of a meeting leaves the submitted record as it was.
    first.summary = "Corrected afterwards."
    first.save()
    version.refresh_from_db()
    assert "bank internship" in version.content["meetings"]
    page = client.get(reverse("deliverable_detail", args=[dl.record.pk])).content.decode()
    assert "Confirmed meetings" in page and "bank internship" in page


def test_without_a_confirmed_meeting_nothing_is_submitted(client, world, dl):
    meeting(world, dl, "pending", "Waiting for the student.", 3)
    client.force_login(world.student)
    response = submit(client, dl, "A reflection.")
    assert "You have no confirmed meeting yet" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_reflection_is_needed(client, world, dl):
    meeting(world, dl, "confirmed", "Talked.", 3)
    client.force_login(world.student)
    response = submit(client, dl, "")
    assert "Fill this in before you submit." in response.content.decode()
    assert not Submission.objects.exists()


def test_the_form_shows_the_meetings_it_will_compile(client, world, dl):
    meeting(world, dl, "confirmed", "Talked about the bank internship.", 20)
    client.force_login(world.student)
    page = client.get(reverse("deliverable_detail", args=[dl.record.pk])).content.decode()
    assert "bank internship" in page
    plan = client.get(reverse("deliverable_detail", args=[dl.plan.pk])).content.decode()
    assert "Confirmed meetings" not in plan
