"""Reminders through an idempotent ledger (mentorship.Notification).

The database, not the broker, decides what is due: nothing is scheduled as a
far-future task. Three steps, each safe to repeat and to run in parallel:

- ``sweep`` asks every registered source what is due now and inserts the rows
  that are missing. The ledger's unique constraint (recipient, kind, subject,
  due date, offset) makes a second sweep insert nothing.
- ``claim`` takes unsent rows under a lease with one atomic UPDATE per row set:
  a row is taken only while unclaimed or while its previous lease has expired,
  so two workers never hold the same row.
- ``send_claimed`` sends one digest e-mail per recipient of a claim and marks
  those rows sent; a row once sent is never claimed or sent again.

Guarantee: every due row is e-mailed exactly once, unless a worker dies (or
stalls past the lease) after the mail server accepted a digest and before the
rows were marked sent; then, once the lease expires, the digest is sent a
second time. It is never sent a third time for the same claim failure, and
never zero times while some worker keeps running ``run_reminders``. A send
error releases the claim at once so the retry does not wait for the lease.
"""

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from .emails import absolute_url, render_email
from .models import Notification

# A digest is sent well within this; a claim older than this is presumed dead.
DEFAULT_LEASE = timedelta(minutes=10)
DEFAULT_BATCH = 500
# A sweep inserting this many rows refreshes the ledger's planner statistics.
ANALYZE_AFTER_ROWS = 5000


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
# Kinds a person may choose not to receive by e-mail (User.optional_nudges).
_optional_kinds = set()


def register_source(kind, func, *, optional=False):
    """Make ``func(now)`` (an iterable of Due) feed the ledger under ``kind``.

    Apps register from their AppConfig.ready(); registering a kind again
    replaces it. ``func`` must run in a fixed number of queries and yield only
    what is due at ``now`` (due_on on or before ``now``'s date). ``func`` may be
    None for event kinds, which ``notify`` inserts instead of a sweep. An
    ``optional`` kind is not e-mailed to people who turned optional nudges off.
    """
    if func is not None:
        _sources[kind] = func
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


def sweep(*, now):
    """Insert the ledger rows every source says are due at ``now`` (aware).

    Returns ``{"due": rows computed, "new": rows inserted}``. The rows go in
    with one statement, whatever their number, skipping those already there.
    """
    dues = [due for func in _sources.values() for due in func(now)]
    insert = _insert_postgresql if connection.vendor == "postgresql" else _insert_sqlite
    return {"due": len(dues), "new": insert(dues, now) if dues else 0}


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


@dataclass(frozen=True)
class Claim:
    token: uuid.UUID
    ids: list


def claim(*, now, lease=DEFAULT_LEASE, limit=DEFAULT_BATCH):
    """Claim up to ``limit`` unsent rows (unclaimed, or whose claim is older
    than ``lease``) for a fresh token, then every other claimable row of the
    same recipients, so a recipient's items go out in one digest.

    Two concurrent claims never return the same row. Returns a Claim (token
    and ids; no ids when nothing is left).
    """
    token = uuid.uuid4()
    stale = now - lease
    ids = _claim_rows(now=now, stale=stale, token=token, limit=limit)
    if ids:
        recipients = set(
            Notification.objects.filter(pk__in=ids).values_list("recipient_id", flat=True)
        )
        ids += _claim_rows(now=now, stale=stale, token=token, recipients=recipients)
    return Claim(token, ids)


def _claimable(stale):
    return Notification.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale), sent_at__isnull=True
    )


def _claim_rows(*, now, stale, token, limit=None, recipients=None):
    if connection.vendor == "postgresql":
        return _claim_rows_postgresql(
            now=now, stale=stale, token=token, limit=limit, recipients=recipients
        )
    candidates = _claimable(stale).order_by("recipient_id", "pk")
    if recipients is not None:
        candidates = candidates.filter(recipient_id__in=recipients)
    ids = list(candidates.values_list("pk", flat=True)[:limit])
    # One conditional UPDATE per row: it takes the row only if no one else did
    # in between, which SQLite (no SKIP LOCKED) needs to stay correct.
    return [
        pk
        for pk in ids
        if _claimable(stale).filter(pk=pk).update(claimed_at=now, claim_token=token)
    ]


def _claim_rows_postgresql(*, now, stale, token, limit, recipients):
    table = connection.ops.quote_name(Notification._meta.db_table)
    claimable = "sent_at IS NULL AND (claimed_at IS NULL OR claimed_at < %s)"
    params = [stale]
    where = claimable
    if recipients is not None:
        where += " AND recipient_id = ANY(%s)"
        params.append(list(recipients))
    limit_sql = ""
    if limit is not None:
        limit_sql = " LIMIT %s"
        params.append(limit)
    params += [now, token]
    # Rows locked by a concurrent claim are skipped rather than waited for. A
    # CTE, not "id IN (subquery)": the planner may re-run an IN subquery and
    # take more rows than the limit.
    sql = (
        f"WITH picked AS (SELECT id FROM {table} WHERE {where} "
        f"ORDER BY recipient_id, id{limit_sql} FOR UPDATE SKIP LOCKED) "
        f"UPDATE {table} AS n SET claimed_at = %s, claim_token = %s "
        f"FROM picked WHERE n.id = picked.id RETURNING n.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def send_claimed(*, token, now):
    """Send one digest per recipient of the rows claimed under ``token`` that
    are still unsent, marking each recipient's rows sent right after their
    mail. Rows of recipients without an address or no longer active, and
    optional kinds for people who turned optional nudges off, are marked sent
    without a mail (the notification centre still lists them).

    On a send error the claim's unsent rows are released and the error raised,
    so a retry can take them at once. Returns the number of e-mails sent.
    """
    rows = (
        Notification.objects.filter(claim_token=token, sent_at__isnull=True)
        .select_related("recipient")
        .order_by("recipient_id", "due_on", "pk")
    )
    by_recipient = defaultdict(list)
    for row in rows:
        by_recipient[row.recipient].append(row)
    sent = 0
    try:
        for user, items in by_recipient.items():
            mailed = items
            if not user.optional_nudges:
                mailed = [row for row in items if not is_optional(row.kind)]
            if mailed and user.is_active and user.email:
                digest = [digest_item(row) for row in mailed]
                message = render_email(
                    user,
                    "reminder_digest",
                    {"items": digest, "only_reminders": not any(i["event"] for i in digest)},
                )
                message.send()
                sent += 1
            Notification.objects.filter(
                pk__in=[row.pk for row in items], claim_token=token, sent_at__isnull=True
            ).update(sent_at=now)
    except Exception:
        Notification.objects.filter(claim_token=token, sent_at__isnull=True).update(
            claimed_at=None, claim_token=None
        )
        raise
    return sent


def digest_item(row):
    """What the digest templates show of a ledger row."""
    payload = row.payload
    # Lazy: rendered inside render_email's switch to the reader's language,
    # where a default label (stored in English) finds its translation.
    title = gettext_lazy(payload["title"]) if payload.get("title") else ""
    if payload.get("context"):
        title = format_lazy("{} · {}", title, payload["context"])
    return {
        "title": title,
        "text": payload.get("text", ""),
        "url": absolute_url(payload["url"]) if payload.get("url") else "",
        "deadline": row.due_on + timedelta(days=row.offset_days),
        "days_left": max(row.offset_days, 0),
        "days_late": max(-row.offset_days, 0),
        # Events (see notify) happened, and some reminders (a review waiting)
        # have no deadline: neither carries a "due" line.
        "show_when": payload.get("show_when", True) and not payload.get("event"),
        "event": bool(payload.get("event")),
    }


def run_reminders(*, now, lease=DEFAULT_LEASE, batch=DEFAULT_BATCH):
    """One sweep, then claim and send until nothing claimable is left.

    Safe to run concurrently and to repeat (see the module docstring). Returns
    the sweep's counts with ``sent`` (e-mails) and ``items`` (rows sent).
    """
    counts = sweep(now=now)
    counts.update(sent=0, items=0)
    while True:
        taken = claim(now=now, lease=lease, limit=batch)
        if not taken.ids:
            return counts
        counts["items"] += len(taken.ids)
        counts["sent"] += send_claimed(token=taken.token, now=now)
