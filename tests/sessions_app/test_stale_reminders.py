"""A reminder is re-checked when it is sent: one no longer true is dropped,
recorded as obsolete, and never mailed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship import reminders
from mentorship.models import Match, Notification
from mentorship.notification_centre import unread_count
from mentorship.reminders import claim, run_reminders, send_claimed, sweep
from sessions_app.reminders import GAP
from tests import factories as f

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime.datetime(2026, 10, 1, 9))
DUE = T0 + datetime.timedelta(days=30)


@pytest.fixture
def pair(world, mentee):
    Match.objects.filter(enrollment=mentee).update(published_at=T0)
    return mentee


def confirm_a_meeting(world, pair):
    meeting = f.MeetingFactory(
        cycle=world.cycle,
        author=world.mentor.mentor_profile,
        starts_at=DUE - datetime.timedelta(days=2),
    )
    f.MeetingParticipantFactory(meeting=meeting, student=pair.student, status="confirmed")


def test_a_gap_reminder_confirmed_away_before_sending_is_dropped(world, pair, mailoutbox):
    sweep(now=DUE)
    rows = Notification.objects.filter(kind=GAP)
    assert rows.count() == 2  # the student and the mentor

    confirm_a_meeting(world, pair)  # after the sweep found the gap
    counts = run_reminders(now=DUE + datetime.timedelta(hours=1))

    assert counts["sent"] == 0 and mailoutbox == []
    assert all(row.obsolete_at and row.sent_at is None for row in rows)
    # Never claimed again, and not in anybody's notification centre.
    assert claim(now=DUE + datetime.timedelta(days=1)).ids == []
    assert unread_count(world.mentor) == unread_count(world.student) == 0


def test_a_gap_reminder_still_true_is_sent(world, pair, mailoutbox):
    run_reminders(now=DUE)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.student.email, world.mentor.email])
    assert not Notification.objects.filter(obsolete_at__isnull=False).exists()


def test_the_recheck_is_one_query_set_per_kind_whatever_the_rows(world, pair):
    def send_queries():
        sweep(now=DUE)
        taken = claim(now=DUE, limit=1000)
        rows = Notification.objects.filter(pk__in=taken.ids)
        assert rows.exists()
        # No gap any more for anyone: only the re-check and the marks run.
        Match.objects.update(published_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            send_claimed(token=taken.token, now=DUE)
        assert not rows.filter(obsolete_at__isnull=True).exists()
        return len(queries)

    few = send_queries()
    for _ in range(4):
        f.MatchFactory(
            enrollment=f.EnrollmentFactory(cycle=world.cycle),
            engagement=pair.match.engagement,
            published_at=T0,
        )
    assert send_queries() == few


def test_a_run_rechecks_with_its_own_sweep_while_fresh(world, pair, monkeypatch):
    calls = []
    real = reminders._sources[GAP]

    def counted(now):
        calls.append(now)
        return real(now)

    monkeypatch.setitem(reminders._sources, GAP, counted)
    run_reminders(now=DUE)
    assert len(calls) == 1  # the sweep's answer served the re-check
    assert Notification.objects.filter(kind=GAP, sent_at__isnull=False).count() == 2
