"""Claims on the reminder ledger, and the lock that lets one send run at a time.

A claim stamps rows with a token and the time it was taken; a claim older than
the lease is presumed dead and may be taken again. The time is the clock's
when the claim is taken, never the start of the run: a run that has been
sending for longer than the lease would otherwise hand out claims that are
already stale, and the next run would take the rows it is still sending.
A holder re-checks its rows just before mailing them and renews their lease
(``renew``), so a row taken by another run meanwhile is never mailed twice.

On PostgreSQL only one run at a time sends (``single_run``, an advisory lock
per database, released when the run ends or its connection drops with a dead
worker); the claims still keep runs apart on SQLite and in the window when a
stalled run's connection was dropped while it was still mailing.
"""

import time
import uuid
import zlib
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import Q

from .models import Notification

# A claim older than this is presumed dead. The sender renews its claim as it
# goes, so this only has to outlast one digest's send (SMTP times out at 30 s).
DEFAULT_LEASE = timedelta(minutes=2)
DEFAULT_BATCH = 500
# pg_try_advisory_lock's key: the same number in every process of the site.
LOCK_KEY = zlib.crc32(b"mentorship.reminders.run_reminders")


class Clock:
    """Time in the run's timeline: its ``now`` plus the time spent since, so a
    run given a fixed ``now`` (a test, a catch-up) still ages its claims."""

    def __init__(self, now):
        self.start = now
        self._started = time.monotonic()

    def __call__(self):
        return self.start + timedelta(seconds=time.monotonic() - self._started)


@contextmanager
def single_run():
    """Yield True when this process may send (it holds the database's sweep
    lock until the block ends), False when another run holds it. Without
    PostgreSQL always True: the claims alone keep parallel runs apart."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            # A broken connection has released the lock with the session.
            with suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


@dataclass(frozen=True)
class Claim:
    token: uuid.UUID
    ids: list


def claimable(stale):
    """Unsent, not obsolete rows that are unclaimed or whose claim is older than ``stale``."""
    return Notification.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale),
        sent_at__isnull=True,
        obsolete_at__isnull=True,
    )


def held(token):
    """The unsent rows ``token`` still holds."""
    return Notification.objects.filter(
        claim_token=token, sent_at__isnull=True, obsolete_at__isnull=True
    )


def renew(token, *, now, ids=None, sent=(), sent_at=None):
    """Renew the lease on the rows (of ``ids``, else all) that ``token`` still
    holds, from ``now``; returns the ids still held. First, in the same
    statement, the held rows of ``sent`` (pks) are marked sent at ``sent_at``:
    the sender marks one chunk and renews the next with one commit."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            held(token).filter(pk__in=sent).update(sent_at=sent_at)
            rows = held(token) if ids is None else held(token).filter(pk__in=ids)
            kept = set(rows.values_list("pk", flat=True))
            rows.update(claimed_at=now)
        return kept
    table = connection.ops.quote_name(Notification._meta.db_table)
    mine = "claim_token = %s AND sent_at IS NULL AND obsolete_at IS NULL"
    sql = f"UPDATE {table} SET claimed_at = %s WHERE {mine}"
    params = [now, token]
    if ids is not None:
        sql += " AND id = ANY(%s)"
        params.append(list(ids))
    if sent:
        # Each row is changed by one of the two: PostgreSQL leaves it
        # unpredictable which of two updates of one row in a statement wins.
        marked = f"UPDATE {table} SET sent_at = %s WHERE {mine} AND id = ANY(%s)"
        sql = f"WITH marked AS ({marked}) {sql} AND NOT id = ANY(%s)"
        params = [sent_at, token, list(sent), *params, list(sent)]
    with connection.cursor() as cursor:
        cursor.execute(sql + " RETURNING id", params)
        return {row[0] for row in cursor.fetchall()}


def claim(*, now, lease=DEFAULT_LEASE, limit=DEFAULT_BATCH):
    """Claim up to ``limit`` unsent rows (unclaimed, or whose claim is older
    than ``lease`` at ``now``, the current time) for a fresh token, then every
    other claimable row of the same recipients, so a recipient's items go out
    in one digest.

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


def _claim_rows(*, now, stale, token, limit=None, recipients=None):
    if connection.vendor == "postgresql":
        return _claim_rows_postgresql(
            now=now, stale=stale, token=token, limit=limit, recipients=recipients
        )
    candidates = claimable(stale).order_by("recipient_id", "pk")
    if recipients is not None:
        candidates = candidates.filter(recipient_id__in=recipients)
    ids = list(candidates.values_list("pk", flat=True)[:limit])
    # One conditional UPDATE per row: it takes the row only if no one else did
    # in between, which SQLite (no SKIP LOCKED) needs to stay correct.
    return [
        pk for pk in ids if claimable(stale).filter(pk=pk).update(claimed_at=now, claim_token=token)
    ]


def _claim_rows_postgresql(*, now, stale, token, limit, recipients):
    table = connection.ops.quote_name(Notification._meta.db_table)
    where = "sent_at IS NULL AND obsolete_at IS NULL AND (claimed_at IS NULL OR claimed_at < %s)"
    params = [stale]
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
