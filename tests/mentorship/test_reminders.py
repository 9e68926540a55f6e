"""The reminder ledger: sweep, claim and send are idempotent and safe in parallel."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship import reminders
from mentorship.models import Notification
from mentorship.reminders import DEFAULT_LEASE, Due, claim, run_reminders, send_claimed, sweep
from mentorship.tasks import run_reminders_task
from tests import factories as f

NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 0))


def item(user, subject, *, offset=7, title="Career plan"):
    return Due(
        recipient_id=user.pk,
        kind="test_due",
        subject_key=subject,
        due_on=NOW.date(),
        offset_days=offset,
        payload={"title": title, "url": "/student/deliverables/1/"},
    )


def test_sweep_inserts_the_due_rows_once(due):
    ann, bob = f.UserFactory(), f.UserFactory()
    due += [item(ann, "a:1"), item(ann, "a:2"), item(bob, "a:1")]

    assert sweep(now=NOW) == {"due": 3, "new": 3}
    assert sweep(now=NOW) == {"due": 3, "new": 0}
    assert Notification.objects.count() == 3
    # Found due at the sweep's moment, whatever the wall clock says.
    assert set(Notification.objects.values_list("created_at", flat=True)) == {NOW}


def test_sweep_queries_do_not_grow_with_the_rows(due):
    ann = f.UserFactory()

    def sweep_queries(count):
        due[:] = [item(ann, f"a:{n}") for n in range(count)]
        with CaptureQueriesContext(connection) as queries:
            counts = sweep(now=NOW)
        return len(queries), counts

    # Past a thousand rows, where batched inserts would take a second statement.
    small, small_counts = sweep_queries(3)
    large, large_counts = sweep_queries(2500)

    assert (small_counts["new"], large_counts["new"]) == (3, 2497)
    assert small == large
    assert Notification.objects.get(subject_key="a:2499").payload["title"] == "Career plan"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics of PostgreSQL")
def test_a_large_sweep_refreshes_the_ledgers_statistics(due, monkeypatch):
    ann = f.UserFactory()
    monkeypatch.setattr(reminders, "ANALYZE_AFTER_ROWS", 3)

    def analyzed(count):
        due[:] = [item(ann, f"a:{n}") for n in range(count)]
        with CaptureQueriesContext(connection) as queries:
            sweep(now=NOW)
        return any(q["sql"].startswith("ANALYZE") for q in queries)

    assert not analyzed(2)
    assert analyzed(5)  # three new rows
    assert not analyzed(5)  # nothing new


def test_second_run_sends_nothing_new(due, mailoutbox):
    ann = f.UserFactory()
    due.append(item(ann, "a:1"))

    first = run_reminders(now=NOW)
    second = run_reminders(now=NOW + datetime.timedelta(hours=1))

    assert (first["sent"], second["sent"]) == (1, 0)
    assert len(mailoutbox) == 1
    assert Notification.objects.get().sent_at == NOW


def test_digest_groups_the_items_of_each_recipient(due, mailoutbox):
    ann, bob = f.UserFactory(full_name="Ann A"), f.UserFactory(full_name="Bob B")
    due += [
        item(ann, "a:1", title="Career plan"),
        item(ann, "a:2", title="Internship report", offset=-7),
        item(bob, "a:1", title="Career plan", offset=1),
    ]

    counts = run_reminders(now=NOW)

    assert counts["sent"] == 2 and counts["items"] == 3
    by_to = {message.to[0]: message for message in mailoutbox}
    assert set(by_to) == {ann.email, bob.email}
    text = by_to[ann.email].body
    assert "Dear Ann A," in text
    assert "Career plan" in text and "Internship report" in text
    assert "due in 7 days" in text and "overdue by 7 days" in text
    assert "http" in text and "/student/deliverables/1/" in text
    assert "2 reminders" in by_to[ann.email].subject
    assert "due in 1 day," in by_to[bob.email].body
    html = by_to[ann.email].alternatives[0][0]
    assert "Internship report" in html and "<li>" in html


def test_two_claims_never_share_a_row(due):
    ann = f.UserFactory()
    due += [item(ann, "a:1"), item(ann, "a:2")]
    sweep(now=NOW)

    first = claim(now=NOW, limit=10)
    second = claim(now=NOW + datetime.timedelta(minutes=1), limit=10)

    assert len(first.ids) == 2
    assert second.ids == []


def test_a_claim_takes_all_rows_of_its_recipients(due):
    ann, bob = f.UserFactory(), f.UserFactory()
    due += [item(ann, "a:1"), item(ann, "a:2"), item(ann, "a:3"), item(bob, "a:1")]
    sweep(now=NOW)

    first = claim(now=NOW, limit=1)

    recipients = set(
        Notification.objects.filter(pk__in=first.ids).values_list("recipient", flat=True)
    )
    assert len(recipients) == 1
    assert len(first.ids) == Notification.objects.filter(recipient__in=recipients).count()


def test_an_expired_lease_is_claimed_again_and_sent_once(due, mailoutbox):
    ann = f.UserFactory()
    due.append(item(ann, "a:1"))
    sweep(now=NOW)
    lost = claim(now=NOW, limit=10)  # a worker that died before sending

    assert claim(now=NOW + DEFAULT_LEASE - datetime.timedelta(seconds=1)).ids == []
    later = NOW + DEFAULT_LEASE + datetime.timedelta(seconds=1)
    retry = claim(now=later)
    assert retry.ids == lost.ids
    assert send_claimed(token=retry.token, now=later) == 1
    # The dead worker's token no longer holds the row: it sends nothing.
    assert send_claimed(token=lost.token, now=later) == 0
    assert claim(now=later + 2 * DEFAULT_LEASE).ids == []
    assert len(mailoutbox) == 1


def test_a_send_error_releases_the_claim(due, mailoutbox, monkeypatch):
    ann = f.UserFactory()
    due.append(item(ann, "a:1"))

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with pytest.raises(smtplib.SMTPException):
        run_reminders(now=NOW)
    row = Notification.objects.get()
    assert (row.claimed_at, row.claim_token, row.sent_at) == (None, None, None)

    monkeypatch.undo()
    # Still due (the re-check before sending asks the source again).
    assert run_reminders(now=NOW)["sent"] == 1


def test_inactive_recipients_are_marked_sent_without_mail(due, mailoutbox):
    ann = f.UserFactory(is_active=False)
    due.append(item(ann, "a:1"))

    assert run_reminders(now=NOW)["sent"] == 0
    assert mailoutbox == []
    assert Notification.objects.get().sent_at == NOW


def test_command_runs_one_sweep(due, mailoutbox):
    due.append(item(f.UserFactory(), "a:1"))
    out = StringIO()

    call_command("run_reminders", stdout=out)

    assert "sent=1" in out.getvalue()
    assert len(mailoutbox) == 1


def test_task_runs_a_sweep_and_its_sends(due, mailoutbox):
    due.append(item(f.UserFactory(), "a:1"))

    result = run_reminders_task.apply()

    assert result.get()["sent"] == 1
    assert len(mailoutbox) == 1


def test_beat_runs_the_task_on_the_configured_period(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["run-reminders"]
    assert entry["task"] == run_reminders_task.name
    assert entry["schedule"] == settings.REMINDER_SWEEP_MINUTES * 60


def test_task_claims_under_the_configured_lease(due, mailoutbox, settings):
    due.append(item(f.UserFactory(), "a:1"))
    sweep(now=NOW)
    claim(now=timezone.now() - datetime.timedelta(seconds=61))  # a worker that died
    settings.REMINDER_LEASE_SECONDS = 60

    assert run_reminders_task.apply().get()["sent"] == 1
    assert len(mailoutbox) == 1
