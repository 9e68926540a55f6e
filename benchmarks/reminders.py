"""Time the reminder sweep and the sends at the issue's size: 11,000 students, 800 mentors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/reminders.py

Needs PostgreSQL, a Redis (``--redis``, default redis://127.0.0.1:6379/14) and
aiosmtpd (``pip install -r requirements-bench.txt``).
Everything happens in a scratch database, ``<database>_reminders``, created
next to DATABASE_URL's (migrated from empty) and dropped at the end, so the
benchmark database is left untouched and every run starts from the same
state. The data, at each size:

* ``seed_demo --students N --mentors M --cycles 1`` (the bulk mode): two
  "(benchmark)" programs, half the students and mentors each, one cycle each,
  in process tracking, so every student is in a running cycle (with more
  cycles the earlier ones are closed and their students get nothing);
* every cycle asks, instead of the bulk mode's own requirements (removed with
  their versions and reviews), for each deliverable kind of its program
  (career plan, internship report, communication record), due 7 days ahead,
  1 day ahead and 7 days ago: a step of the default policy (14, 7, 1 days
  before, then weekly while overdue) falls due today for each, and nobody has
  handed anything in. So each student has three reminders due now: 3 x N
  ledger rows, one digest per student. The bulk mode's history (confirmed
  meetings, activities, sent notifications) leaves the other sources nothing
  due;
* every third person reads Chinese (``preferred_language``), so the digests
  are rendered in both languages.

Steps:

1. small size (a tenth; ``--small``): seeded in a transaction, ``sweep``
   timed and its queries counted, rolled back;
2. full size: seeded and committed, ``sweep`` timed and counted, then timed
   again (it finds every row already in the ledger and inserts none);
3. sends: the ledger is analyzed (as autovacuum would have done in a live
   database), then a real Celery worker (solo pool, its own queue,
   Django's SMTP backend, this scratch database) gets ``run_reminders_task``
   and mails a real SMTP server on loopback (an aiosmtpd sink in this
   process, benchmarks/smtp_sink.py); the time runs from publishing the task
   until no ledger row is unsent (probed every half second). It includes the
   task's own sweep, which finds nothing new. ``sent_per_s`` is messages the
   SMTP server accepted per second while mailing, from the first message it
   took to the last; ``end_to_end_per_s`` divides them by the whole time
   instead (sweep included); the task's own ``sent``, read from the worker's
   log, is printed beside them; ``items_per_s`` is ledger rows per second
   (whole time); ``connections`` is SMTP connections the worker opened;
   ``smtp_ceiling_per_s`` is what a bare smtplib loop over one connection
   (another process, messages of the digests' mean size, nothing else to do)
   gets from the same sink right after: the most any sender could reach here.

Target (issue 5): sweep <= 10 s, its query count the same at both sizes.
Target (issue 14): sent_per_s >= 1,000. Nothing asserts them: this only prints.
"""

import argparse
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Requirement, Review, Submission  # noqa: E402
from benchmarks.smtp_sink import SmtpSink, ceiling  # noqa: E402
from config.celery import app  # noqa: E402
from mentorship.demo.bulk import ALUMNI, COACHING  # noqa: E402
from mentorship.models import Notification, User  # noqa: E402
from mentorship.reminders import sweep  # noqa: E402
from mentorship.tasks import run_reminders_task  # noqa: E402
from programs.models import Cycle, DeliverableKind  # noqa: E402

# Days from now to each deliverable's due date, in the order of the kinds.
DUE_IN_DAYS = (7, 1, -7)
WORKER_START_TIMEOUT = 60
POLL_SECONDS = 0.5
# Messages the bare client sends to find the SMTP sink's ceiling.
CEILING_MESSAGES = 3000


def seed(students, mentors):
    """Bulk seed data whose cycles instead require each deliverable kind, due
    as DUE_IN_DAYS says and handed in by nobody."""
    call_command(
        "seed_demo",
        "--students", str(students),
        "--mentors", str(mentors),
        "--cycles", "1",
        stdout=io.StringIO(),
    )  # fmt: skip
    now = timezone.now()
    cycles = Cycle.objects.filter(program__name__in=[ALUMNI, COACHING])
    # The bulk mode's own requirements, some handed in, make way for these.
    Review.objects.filter(submission__requirement__cycle__in=cycles).delete()
    Submission.objects.filter(requirement__cycle__in=cycles).delete()
    Requirement.objects.filter(cycle__in=cycles).delete()
    requirements = []
    for cycle in cycles:
        kinds = DeliverableKind.objects.filter(program=cycle.program_id).order_by("pk")
        requirements += [
            Requirement(cycle=cycle, kind=kind, due_at=now + timedelta(days=days))
            for kind, days in zip(kinds, DUE_IN_DAYS, strict=False)
        ]
    Requirement.objects.bulk_create(requirements)
    # Digests go out in each reader's language: a third in Chinese.
    User.objects.alias(third=F("pk") % 3).filter(third=0).update(preferred_language="zh-hans")
    # Freshly bulk-loaded tables have no statistics yet; a live database would.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(requirements)


def timed_sweep(now):
    """(seconds, queries, counts) of one sweep at ``now``."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        counts = sweep(now=now)
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), counts


def measure(label, students, mentors):
    started = time.perf_counter()
    requirements = seed(students, mentors)
    seeded = time.perf_counter() - started
    elapsed, queries, counts = timed_sweep(timezone.now())
    print(
        f"size={label} students={students} mentors={mentors} requirements={requirements} "
        f"sweep_s={elapsed:.2f} queries={queries} rows={counts['due']} new={counts['new']} "
        f"(seeded in {seeded:.1f} s)"
    )
    return elapsed, queries


# The worker.


def scratch_url(name):
    """DATABASE_URL with the scratch database's name, for the worker."""
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def start_worker(queue, database_url, redis_url, smtp_port, log):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool", "solo", "--without-heartbeat", "--without-gossip", "--without-mingle",
        "-Q", queue, "-n", f"{queue}@%h", "--loglevel", "INFO",
    ]  # fmt: skip
    # Its own session, so the whole process group can be ended at the end.
    worker = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while " ready." not in Path(log.name).read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not start:\n{Path(log.name).read_text()[-2000:]}")
        time.sleep(0.1)
    return worker


def stop_worker(worker):
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def task_result(log, timeout):
    """(seconds, sent, items) from the worker's "succeeded" line, or None."""
    pattern = re.compile(r"succeeded in ([\d.]+)s: .*'sent': (\d+), 'items': (\d+)")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = pattern.search(Path(log.name).read_text())
        if found:
            return float(found[1]), int(found[2]), int(found[3])
        time.sleep(0.2)
    return None


def send_throughput(redis_url, timeout):
    """Publish run_reminders_task to a fresh worker mailing an SMTP sink;
    returns (sent_per_s, connections) as text."""
    unsent = Notification.objects.filter(sent_at__isnull=True)
    rows = unsent.count()
    # Its statistics still say "empty" (from the seed's ANALYZE): the claim
    # and the updates would be planned as over an empty table and take several
    # times longer until autovacuum caught up. A live ledger has statistics.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Notification._meta.db_table}")
    queue = f"bench-reminders-{uuid.uuid4().hex[:8]}"
    # This process publishes to the worker's Redis instead of running tasks in-process.
    app.conf.update(broker_url=redis_url, task_always_eager=False)
    with (
        SmtpSink() as sink,
        tempfile.NamedTemporaryFile("w+", suffix=".log", prefix=f"{queue}-") as log,
    ):
        database_url = scratch_url(connection.settings_dict["NAME"])
        worker = start_worker(queue, database_url, redis_url, sink.port, log)
        try:
            started = time.perf_counter()
            run_reminders_task.apply_async(queue=queue)
            done = False
            while not done and time.perf_counter() - started < timeout:
                # A probe that stops at the first unsent row, unlike a count.
                time.sleep(POLL_SECONDS)
                done = not unsent.exists()
            elapsed = time.perf_counter() - started
            result = task_result(log, timeout=30) if done else None
        finally:
            stop_worker(worker)
            client = redis.Redis.from_url(redis_url)
            for key in client.scan_iter(f"*{queue}*"):
                client.delete(key)
    if not done:
        print(f"sends: {unsent.count()} of {rows} rows still unsent after {timeout:.0f} s")
        return "not-measured", "not-measured"
    if result is None:
        print(f"sends: all {rows} rows sent in {elapsed:.1f} s, but no task result in the log")
        return "not-measured", "not-measured"
    task_s, sent, items = result
    print(
        f"sends: {sent} digests ({items} ledger rows) in {elapsed:.2f} s from publishing "
        f"to the last row sent; the task itself took {task_s:.2f} s in the worker; "
        f"the SMTP server accepted {sink.messages} messages ({sink.bytes / 1e6:.1f} MB) "
        f"over {sink.connections} connections"
    )
    # The mailing itself, from the first message the server took to the last
    # (without the task's sweep and first claim, which the elapsed time has).
    mailing_s = sink.mailing_s or elapsed
    per_s = f"{sink.messages / mailing_s:.0f}"
    ceiling_per_s = ceiling(messages=CEILING_MESSAGES, size=sink.bytes // max(sink.messages, 1))
    print(
        f"sent_per_s={per_s} (mailing {mailing_s:.2f} s) "
        f"end_to_end_per_s={sink.messages / elapsed:.0f} items_per_s={items / elapsed:.0f} "
        f"connections={sink.connections} smtp_ceiling_per_s={ceiling_per_s:.0f}"
    )
    return per_s, str(sink.connections)


def redis_problem(redis_url):
    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.RedisError as error:
        return f"{type(error).__name__}: {error}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=11000)
    parser.add_argument("--mentors", type=int, default=800)
    parser.add_argument(
        "--small", type=int, default=10, help="the small size is the full one divided by this"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14", help="the broker")
    parser.add_argument(
        "--send-timeout", type=float, default=900, help="seconds to wait for the sends"
    )
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print("needs PostgreSQL: set DATABASE_URL to a postgres:// URL", file=sys.stderr)
        return 1
    problem = redis_problem(args.redis)
    if problem:
        print(f"needs Redis at {args.redis}: {problem}", file=sys.stderr)
        return 1
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old_name}_reminders"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"database: scratch {connection.settings_dict['NAME']} next to {old_name}")
        # Load the URLconf before timing: the first reverse() imports every view.
        reverse("home")
        with transaction.atomic():
            small = max(args.students // args.small, 2), max(args.mentors // args.small, 6)
            measure("small", *small)
            transaction.set_rollback(True)
        sweep_s, queries = measure("full", args.students, args.mentors)
        again_s, again_queries, counts = timed_sweep(timezone.now())
        print(
            f"again: sweep_s={again_s:.2f} queries={again_queries} rows={counts['due']} "
            f"new={counts['new']} (everything already in the ledger)"
        )
        sent_per_s, connections = send_throughput(args.redis, args.send_timeout)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(
        f"sweep_s={sweep_s:.2f} queries={queries} sent_per_s={sent_per_s} connections={connections}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
