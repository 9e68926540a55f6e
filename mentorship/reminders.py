"""Reminders through an idempotent ledger (mentorship.Notification).

The database, not the broker, decides what is due: nothing is scheduled as a
far-future task. Three steps, each safe to repeat and to run in parallel:

- ``sweep`` asks every registered source what is due now and inserts the rows
  that are missing. The ledger's unique constraint (recipient, kind, subject,
  due date, offset) makes a second sweep insert nothing.
- ``claim`` takes unsent rows under a lease with one atomic UPDATE per row set:
  a row is taken only while unclaimed or while its previous lease has expired,
  so two workers never hold the same row (mentorship/reminders_claims.py).
- ``send_claimed`` re-checks the claim's reminders (one query set per kind:
  those no longer true, say a meeting confirmed since, are marked obsolete and
  not sent), then sends one digest e-mail per recipient over one mail
  connection, a chunk of recipients at a time (at most MARK_EVERY, mailed
  within a second): it renews the lease on the chunk's rows and checks they
  are still its own just before mailing them, and marks the rows it mailed
  sent in one statement right after; a row once sent is never claimed or sent
  again. Digests are rendered once per language (mentorship/digests.py).

On PostgreSQL one run at a time sends (an advisory lock): a beat run that
finds another still sending returns at once.

Guarantee: every due row is e-mailed exactly once, unless a worker dies (or
stalls past the lease) after the mail server accepted a digest and before the
rows were marked sent; then, once the lease expires, the next run sends the
digest a second time. That can only be the digests of the chunk being sent
(at most MARK_EVERY, or a second's worth). It is never sent a third time for
the same claim failure, and never zero times while some worker keeps running
``run_reminders``. A send error marks what the mail server took and releases
the rest of the claim at once, so the retry does not wait for the lease.
"""

import json
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import DatabaseError, connection

from .digests import DigestComposer, DigestMailer
from .models import Notification

# Claims live in their own module; callers import them from here.
from .reminders_claims import (  # noqa: F401
    DEFAULT_BATCH,
    DEFAULT_LEASE,
    Claim,
    Clock,
    claim,
    held,
    renew,
    single_run,
)

# A sweep inserting this many rows refreshes the ledger's planner statistics.
ANALYZE_AFTER_ROWS = 5000
# Mailed rows are marked sent after this many recipients' digests, or once
# mailing them took this long: a worker dying meanwhile has a chunk's digests
# sent a second time (see the module docstring), and one statement marks them.
MARK_EVERY = 50
MARK_WITHIN = timedelta(seconds=1)


@dataclass(frozen=True)
class Due:
    """One reminder a source says is due now."""

    recipient_id: int
    kind: str
    subject_key: str
    due_on: date  # the day it becomes due to send
    offset_days: int  # days before the subject's deadline; negative when overdue
    payload: dict = field(default_factory=dict, hash=False, compare=False)


_sources = {}
# kind -> recheck(rows, now): the pks of rows whose reminder still holds.
_rechecks = {}
# How long what a run's sweep (or a later look at the sources) found due
# stands for the re-check before sending.
RECHECK_FRESH = timedelta(seconds=30)
# Kinds a person may choose not to receive by e-mail (User.optional_nudges).
_optional_kinds = set()


def register_source(kind, func, *, optional=False, recheck=None):
    """Make ``func(now)`` (an iterable of Due) feed the ledger under ``kind``.

    Apps register from their AppConfig.ready(); registering a kind again
    replaces it. ``func`` must run in a fixed number of queries and yield only
    what is due at ``now`` (due_on on or before ``now``'s date). ``func`` may be
    None for event kinds, which ``notify`` inserts instead of a sweep. An
    ``optional`` kind is not e-mailed to people who turned optional nudges off.
    ``recheck`` replaces the default re-check before sending (see
    :func:`still_due`); it too runs in a fixed number of queries.
    """
    if func is not None:
        _sources[kind] = func
    if recheck is not None:
        _rechecks[kind] = recheck
    else:
        _rechecks.pop(kind, None)
    if optional:
        _optional_kinds.add(kind)
    else:
        _optional_kinds.discard(kind)


def is_optional(kind):
    return kind in _optional_kinds


def notify(*, recipient, kind, subject_key, payload, now, sent=False):
    """Record an event for ``recipient`` (a User or its pk), due at once.

    The next send run e-mails it in the digest, unless ``sent``: then the
    caller has already mailed it directly and the row only feeds the
    notification centre. The same event twice on one day is recorded once.
    ``now`` is aware; ``payload`` holds title (an English msgid), text, url.
    """
    _record_events([recipient], kind, subject_key, payload, now, sent=sent)


def notify_many(*, recipients, kind, subject_key, payload, now):
    """As :func:`notify` unsent, for each of ``recipients`` (Users or pks), in
    one INSERT whatever their number; people already told are skipped."""
    _record_events(recipients, kind, subject_key, payload, now, sent=False)


def _record_events(recipients, kind, subject_key, payload, now, *, sent):
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=getattr(recipient, "pk", recipient),
                kind=kind,
                subject_key=subject_key,
                due_on=now.date(),
                offset_days=0,
                payload={**payload, "event": True},
                created_at=now,
                sent_at=now if sent else None,
            )
            for recipient in recipients
        ],
        ignore_conflicts=True,
    )


def sweep(*, now, found=None):
    """Insert the ledger rows every source says are due at ``now`` (aware).

    Returns ``{"due": rows computed, "new": rows inserted}``. The rows go in
    with one statement, whatever their number, skipping those already there.
    ``found``, a dict, receives what each kind found due, for :func:`still_due`.
    """
    dues = []
    for kind, func in _sources.items():
        kind_dues = list(func(now))
        dues += kind_dues
        if found is not None:
            found[kind] = _pairs(kind_dues)
    insert = _insert_postgresql if connection.vendor == "postgresql" else _insert_sqlite
    return {"due": len(dues), "new": insert(dues, now) if dues else 0}


def found_due(*, now):
    """What every source finds due at ``now``, as :func:`sweep` records it in
    ``found``, without inserting anything."""
    return {kind: _pairs(func(now)) for kind, func in _sources.items()}


def _pairs(dues):
    return {(due.recipient_id, due.subject_key) for due in dues}


_COLUMNS = ("recipient_id", "kind", "subject_key", "due_on", "offset_days", "payload", "created_at")


def _insert_sqlite(dues, now):
    """As :func:`_insert_postgresql`, for the embedded default: one statement
    run for every row, skipping rows already in the ledger."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    sql = f"INSERT OR IGNORE INTO {table} ({', '.join(_COLUMNS)}) VALUES ({marks})"
    created = connection.ops.adapt_datetimefield_value(now)
    rows = [
        (
            due.recipient_id,
            due.kind,
            due.subject_key,
            due.due_on.isoformat(),
            due.offset_days,
            json.dumps(due.payload),
            created,
        )
        for due in dues
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        return cursor.rowcount


def _insert_postgresql(dues, now):
    """Insert ``dues`` not yet in the ledger in one statement; returns how many.

    bulk_create would take one statement per thousand rows, so a sweep's
    query count would grow with the number of students. After a large insert
    the table is analyzed: with statistics from when it was nearly empty, the
    claims that follow at once are planned as over an empty table and run
    several times slower (benchmarks/reminders.py measured it).
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(_COLUMNS)}) "
        "SELECT r, k, s, d, o, p::jsonb, %s FROM unnest("
        "%s::bigint[], %s::text[], %s::text[], %s::date[], %s::integer[], %s::text[]"
        ") AS due(r, k, s, d, o, p) ON CONFLICT DO NOTHING"
    )
    params = [
        now,
        [due.recipient_id for due in dues],
        [due.kind for due in dues],
        [due.subject_key for due in dues],
        [due.due_on for due in dues],
        [due.offset_days for due in dues],
        [json.dumps(due.payload) for due in dues],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = cursor.rowcount
        if inserted >= ANALYZE_AFTER_ROWS:
            cursor.execute(f"ANALYZE {table}")
    return inserted


def send_claimed(*, token, now, lease=DEFAULT_LEASE, clock=None, found=None):
    """Send one digest per recipient of the rows claimed under ``token`` that
    are still unsent, over one mail connection, marking rows sent a chunk of
    recipients at a time. Rows of recipients without an address or no longer
    active, and optional kinds for people who turned optional nudges off, are
    marked sent without a mail (the notification centre still lists them).
    Reminders whose condition no longer holds (:func:`still_due`) are marked
    obsolete and not sent.

    Before each chunk (at most MARK_EVERY recipients, mailed within
    MARK_WITHIN or a quarter of the lease) its rows are checked to be still
    held by ``token`` and their lease renewed: a row another run took
    meanwhile is left to it. The same statement marks the previous chunk's
    mailed rows sent. ``clock`` gives the current time (default: ``now`` plus
    the time spent); ``now`` is what rows are marked sent at. ``found`` is
    what the sources found due moments ago (see :func:`still_due`).

    On a send error the rows already mailed are marked sent, the claim's
    other unsent rows released and the error raised, so a retry can take
    them at once. Returns the number of e-mails sent.
    """
    clock = clock or Clock(now)
    rows = list(held(token).select_related("recipient").order_by("recipient_id", "due_on", "pk"))
    due = still_due(rows, now=clock(), found=found)
    obsolete = [row.pk for row in rows if row.pk not in due]
    if obsolete:
        held(token).filter(pk__in=obsolete).update(obsolete_at=clock())
    by_recipient = defaultdict(list)
    for row in rows:
        if row.pk in due:
            by_recipient[row.recipient].append(row)
    people = list(by_recipient.items())
    composer = DigestComposer()
    window = min(MARK_WITHIN, lease / 4)
    sent = 0
    done = []  # pks of rows mailed (or not to be mailed) and not yet marked
    renewed = clock()
    try:
        with DigestMailer() as mailer:
            while people:
                started = clock()
                chunk = people[:MARK_EVERY]
                ids = [row.pk for _, items in chunk for row in items]
                if started - renewed > lease / 4:
                    # The batch's other rows wait their turn under a live lease.
                    ids, renewed = None, started
                # One statement marks the last chunk sent and renews this one.
                kept = renew(token, now=started, ids=ids, sent=done, sent_at=now)
                done.clear()
                for number, (user, items) in enumerate(chunk):
                    if number and clock() - started > window:
                        break
                    items = [row for row in items if row.pk in kept]
                    sent += _send_digest(mailer, composer, user, items)
                    done += [row.pk for row in items]
                    people.pop(0)
            _mark_sent(token, done, now)
    except Exception:
        # What the mail server took is not mailed again by the retry.
        with suppress(DatabaseError):
            _mark_sent(token, done, now)
        held(token).update(claimed_at=None, claim_token=None)
        raise
    return sent


def _mark_sent(token, done, now):
    """Mark the rows ``done`` (pks; emptied) sent, if ``token`` still holds them."""
    if done:
        held(token).filter(pk__in=done).update(sent_at=now)
        done.clear()


def _send_digest(mailer, composer, user, items):
    """Mail ``user`` the digest of ``items`` unless nothing in it is for them
    by e-mail; returns the number of e-mails sent (0 or 1)."""
    mailed = items
    if not user.optional_nudges:
        mailed = [row for row in items if not is_optional(row.kind)]
    if not (mailed and user.is_active and user.email):
        return 0
    mailer.send(user.email, *composer.render(user, mailed))
    return 1


def still_due(rows, *, now, found=None):
    """The pks of ``rows`` (ledger rows about to be sent) whose reminder still
    holds at ``now``: events always; a reminder when its kind's re-check says
    so. Set-based: one re-check per kind present, whatever the number of rows.

    A kind's re-check is the function given to :func:`register_source` as
    ``recheck`` (``recheck(rows, now)`` returning the pks that still hold);
    by default its source is asked again and a row holds while the source
    still names its recipient and subject (at any step: a later step of the
    same reminder keeps the earlier one true). ``found`` (kind -> (recipient
    id, subject key) pairs) saves asking: what this run's own sweep found due
    seconds ago.
    """
    by_kind = defaultdict(list)
    kept = set()
    for row in rows:
        if row.payload.get("event") or row.kind not in _sources:
            kept.add(row.pk)
        else:
            by_kind[row.kind].append(row)
    for kind, kind_rows in by_kind.items():
        if found is not None and kind in found:
            pairs = found[kind]
            kept |= {row.pk for row in kind_rows if (row.recipient_id, row.subject_key) in pairs}
        else:
            kept |= set(_rechecks.get(kind, _recheck_by_source(kind))(kind_rows, now))
    return kept


def _recheck_by_source(kind):
    def recheck(rows, now):
        current = {(due.recipient_id, due.subject_key) for due in _sources[kind](now)}
        return {row.pk for row in rows if (row.recipient_id, row.subject_key) in current}

    return recheck


def run_reminders(*, now, lease=DEFAULT_LEASE, batch=DEFAULT_BATCH):
    """One sweep, then claim and send until nothing claimable is left.

    Safe to run concurrently and to repeat (see the module docstring): on
    PostgreSQL a run that finds another one sending returns at once with
    ``busy`` set. Returns the sweep's counts with ``sent`` (e-mails) and
    ``items`` (rows claimed).
    """
    clock = Clock(now)
    counts = {"due": 0, "new": 0, "sent": 0, "items": 0, "busy": False}
    with single_run() as alone:
        if not alone:
            counts["busy"] = True
            return counts
        found = {}
        counts.update(sweep(now=now, found=found))
        found_at = now
        while True:
            taken = claim(now=clock(), lease=lease, limit=batch)
            if not taken.ids:
                return counts
            counts["items"] += len(taken.ids)
            # The sweep's findings serve as the re-check while they are fresh;
            # a long run asks the sources again once they are not, and those
            # findings serve the batches that follow: asking per batch ran
            # every source over all students for each few hundred rows.
            if clock() - found_at >= RECHECK_FRESH:
                found_at = clock()
                found = found_due(now=found_at)
            counts["sent"] += send_claimed(
                token=taken.token, now=now, lease=lease, clock=clock, found=found
            )
