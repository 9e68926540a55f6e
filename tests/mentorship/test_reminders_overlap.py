"""Runs of the reminder sender that overlap never mail a digest twice: claims
take the time they are made, a row is re-checked as still held just before
its mail, and on PostgreSQL one run sends at a time."""

import datetime

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections

from mentorship import reminders, reminders_claims
from mentorship.models import Notification
from mentorship.reminders import DEFAULT_LEASE, claim, run_reminders, send_claimed, sweep
from tests import factories as f

from .test_reminders import NOW, item


@pytest.fixture
def slow_mail(monkeypatch):
    """Each mail takes ``seconds`` of the run's clock; ``during`` runs inside
    mail number ``at`` (1: the first), as another worker would while this one
    waits on SMTP."""
    state = {"seconds": 0.0, "spent": 0.0, "during": None, "at": 1, "to": []}
    real_send, real_monotonic = EmailBackend.send_messages, reminders_claims.time.monotonic

    def send(backend, messages):
        for message in messages:
            state["to"].append(message.to[0])
            state["spent"] += state["seconds"]
            if state["during"] is not None and len(state["to"]) == state["at"]:
                during, state["during"] = state["during"], None
                during()
        return real_send(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send)
    monkeypatch.setattr(
        reminders_claims.time, "monotonic", lambda: real_monotonic() + state["spent"]
    )
    return state


def test_a_long_run_claims_at_the_time_of_each_claim(due, slow_mail):
    ann, bob = f.UserFactory(), f.UserFactory()
    due += [item(ann, "a:1"), item(bob, "a:1")]
    slow_mail["seconds"] = 2 * DEFAULT_LEASE.total_seconds()

    run_reminders(now=NOW, batch=1)

    claimed = dict(Notification.objects.values_list("recipient_id", "claimed_at"))
    # Bob's row was claimed after Ann's slow mail, not at the run's start:
    # a run started meanwhile does not find it stale.
    assert claimed[bob.pk] >= NOW + 2 * DEFAULT_LEASE


def test_a_row_taken_by_another_run_meanwhile_is_left_to_it(
    due, mailoutbox, slow_mail, monkeypatch
):
    # Rows are checked and renewed a chunk of recipients at a time: one each here.
    monkeypatch.setattr(reminders, "MARK_EVERY", 1)
    ann, bob = f.UserFactory(), f.UserFactory()
    due += [item(ann, "a:1"), item(bob, "a:1")]
    sweep(now=NOW)
    stalled = claim(now=NOW - DEFAULT_LEASE - datetime.timedelta(seconds=1), limit=10)
    assert len(stalled.ids) == 2
    taken = {}
    # A run that has been sending for a lease: while it mails Ann (her rows
    # renewed just before), another run takes Bob's rows, which look abandoned.
    slow_mail["during"] = lambda: taken.update(claim=claim(now=NOW, limit=10))

    assert send_claimed(token=stalled.token, now=NOW) == 1
    assert taken["claim"].ids == list(
        Notification.objects.filter(recipient=bob).values_list("pk", flat=True)
    )
    assert send_claimed(token=taken["claim"].token, now=NOW) == 1

    assert sorted(slow_mail["to"]) == sorted([ann.email, bob.email])
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


def test_the_claim_is_renewed_while_a_run_sends(due, slow_mail):
    people = [f.UserFactory() for _ in range(4)]
    due += [item(person, "a:1") for person in people]
    slow_mail["seconds"] = DEFAULT_LEASE.total_seconds() * 0.4
    sweep(now=NOW)
    taken = claim(now=NOW, limit=10)
    seen = {}
    # More than a lease after the claim, the last person's row still waits
    # under a live lease: another run may not take it.
    slow_mail["at"] = 3
    slow_mail["during"] = lambda: seen.update(ids=claim(now=NOW + DEFAULT_LEASE * 1.1).ids)

    assert send_claimed(token=taken.token, now=NOW) == 4
    assert seen["ids"] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's advisory lock")
def test_one_run_at_a_time_sends_on_postgresql(due, mailoutbox):
    due.append(item(f.UserFactory(), "a:1"))
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [reminders_claims.LOCK_KEY])
        counts = run_reminders(now=NOW)
        assert counts["busy"] and counts["sent"] == 0 and mailoutbox == []
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [reminders_claims.LOCK_KEY])
    finally:
        other.close()
    assert run_reminders(now=NOW)["sent"] == 1


def test_a_long_run_asks_the_sources_again_once_per_freshness_period(due, mailoutbox, slow_mail):
    people = [f.UserFactory() for _ in range(9)]
    due += [item(person, "a:1") for person in people]
    asked = []
    reminders.register_source("test_due", lambda now: asked.append(now) or list(due))
    # Ten seconds a mail, a batch each: 90 s of sending, three freshness periods.
    slow_mail["seconds"] = 10
    # While the fifth digest goes out, the last person's reminder stops holding.
    slow_mail["at"] = 5
    slow_mail["during"] = lambda: due.pop()

    counts = run_reminders(now=NOW, batch=1)

    assert counts["sent"] == 8
    # The sweep, then once per RECHECK_FRESH (30 s), not once per batch (9).
    assert len(asked) == 3
    last = Notification.objects.get(recipient=people[-1])
    assert last.obsolete_at is not None and last.sent_at is None
    assert people[-1].email not in slow_mail["to"]
