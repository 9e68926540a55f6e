"""Invitees are told of an activity invitation through the ledger: the
notification centre lists it and the next digest e-mails it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship import reminders
from mentorship.models import Notification
from mentorship.reminders import run_reminders
from sessions_app.activities import create_activity, invite, record_invitations
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_sources(monkeypatch):
    """Only the events: the apps' sweeps would add unrelated reminders."""
    monkeypatch.setattr(reminders, "_sources", {})


def told(activity):
    rows = Notification.objects.filter(
        kind="activity_invitation", subject_key=f"sessions_app.activity:{activity.pk}"
    )
    return sorted(row.recipient_id for row in rows)


def test_a_group_invitation_tells_its_published_students_and_coaches(world, mailoutbox):
    f.GroupPlacementFactory(group=world.team)  # placed, not published yet: not invited
    starts = timezone.now() + datetime.timedelta(days=3)
    activity = create_activity(
        by=world.coordinator,
        cycle=world.cycle,
        group=world.team,
        kind="exchange_salon",
        title="Finance salon",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Room 101",
    )
    assert told(activity) == sorted([world.mentor.pk, world.student.pk])
    row = Notification.objects.get(recipient=world.student)
    assert row.sent_at is None and row.read_at is None
    assert row.payload["title"] == "You are invited to an activity"
    assert row.payload["context"] == "Finance salon"
    assert row.payload["url"] == f"/activities/{activity.pk}/"

    run_reminders(now=timezone.now())
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.mentor.email, world.student.email])
    assert "Finance salon" in mailoutbox[0].body


def test_a_person_invited_on_their_own_is_told_once(world):
    activity = f.ActivityFactory(cycle=world.cycle)
    invite(activity=activity, user=world.student)
    invite(activity=activity, user=world.student)
    # Invited again with their group: still one notification.
    invite(activity=activity, group=world.team)
    assert told(activity) == sorted([world.mentor.pk, world.student.pk])


@pytest.mark.parametrize("size", [2, 10])
def test_recording_invitations_takes_the_same_queries_for_any_number(world, size):
    activity = f.ActivityFactory(cycle=world.cycle)
    group = f.GroupFactory(cycle=world.cycle)
    for _ in range(size):
        f.GroupMembershipFactory(
            group=group, role="student", mentor=None, student=f.StudentProfileFactory()
        )
    invitations = [
        f.ActivityInvitationFactory(activity=activity, group=group),
        f.ActivityInvitationFactory(activity=activity, user=world.student),
    ]
    with CaptureQueriesContext(connection) as queries:
        record_invitations(activity=activity, invitations=invitations)
    assert len(told(activity)) == size + 1
    # The invitees, then one insert.
    assert len(queries) == 2
