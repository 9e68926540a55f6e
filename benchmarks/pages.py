"""Time every page of each role at the issue's size: 11,000 students, 800 mentors, 13 cycles.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages .venv/bin/python benchmarks/pages.py

Builds the data once (migrate, then ``seed_demo --students N --mentors M
--cycles 13``, committed; a later run finds it and reuses it), signs in with
the test client as the benchmark coordinator, a steering member (made once),
a mentor with a full load in the running cycle and one of their students, and
requests every page the URL conf has (tests/security/routes.py walks it and
fills the arguments with that mentor's and student's objects): each page a
role gets with 200 is measured, the others (403, 404, redirects, POST-only)
are that role's refusals and are left out. Admin pages: the index and every
model's changelist. Per page it prints the query count (one request) and the
median of 5 requests (1 when the first took over 10 s); a statement running
past ``--timeout`` seconds is cancelled and the page reported as "timeout".
Last line: ``pages= worst_page= worst_ms= worst_ratio= baseline_ms=``, the
ratio being a page's median over ``/preferences/``'s in the same run.

``--compare 2`` also measures a second database (``<name>_x2``, built the
same way at twice the students and mentors) and prints per page the growth
factor of its time and of its query count.
"""

import argparse
import io
import logging
import os
import re
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

ROLES = ("coordinator", "steering", "mentor", "student")
BASELINE = ("student", "preferences")
# mentorship.demo.bulk.STEERING[0]: the steering member who judged every closed cycle.
STEERING = "bench-steering@demo.test"
REPEATS = 5
SLOW_S = 10
SKIP_NAMES = re.compile(r"logout|account_|socialaccount|invitation_accept|mfa_|password")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=11000)
    parser.add_argument("--mentors", type=int, default=800)
    parser.add_argument("--cycles", type=int, default=13)
    parser.add_argument("--timeout", type=int, default=30, help="statement timeout, seconds")
    parser.add_argument("--compare", type=int, default=0, help="also measure N times the data")
    return parser.parse_args(argv)


def main():
    args = parse_args()
    if not args.compare:
        return measure(args)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("--compare needs a PostgreSQL DATABASE_URL")
    runs = []
    for factor in (1, args.compare):
        env = dict(os.environ)
        if factor > 1:
            env["DATABASE_URL"] = f"{url.rstrip('/')}_x{factor}"
        command = [
            sys.executable, __file__,
            "--students", str(args.students * factor),
            "--mentors", str(args.mentors * factor),
            "--cycles", str(args.cycles), "--timeout", str(args.timeout),
        ]  # fmt: skip
        print(f"== {factor}x: {env['DATABASE_URL']}", flush=True)
        output = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        print(output.stdout, end="", flush=True)
        if output.returncode:
            print(output.stderr, file=sys.stderr)
            return output.returncode
        runs.append(dict(parse_line(line) for line in output.stdout.splitlines() if "key=" in line))
    compare(*runs, factor=args.compare)
    return 0


def parse_line(line):
    fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
    return fields["key"], fields


def compare(small, large, *, factor):
    print(f"== growth at {factor}x the students and mentors (time, queries)")
    worst = (0, "")
    for key, one in small.items():
        other = large.get(key)
        failed = {"timeout", "error"} & {one["median_ms"], other and other["median_ms"]}
        if other is None or failed:
            print(f"key={key} time_x=n/a queries_x=n/a")
            continue
        time_x = float(other["median_ms"]) / max(float(one["median_ms"]), 0.01)
        queries_x = int(other["queries"]) / max(int(one["queries"]), 1)
        worst = max(worst, (time_x, key))
        print(f"key={key} page={one['page']} time_x={time_x:.2f} queries_x={queries_x:.2f}")
    print(f"worst_growth={worst[0]:.2f} worst_growth_page={worst[1]}")


def ensure_database():
    """Create DATABASE_URL's database when it does not exist (PostgreSQL)."""
    import psycopg
    from django.db import connection

    name = connection.settings_dict["NAME"]
    params = {
        k: connection.settings_dict[v]
        for k, v in (("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD"))
        if connection.settings_dict.get(v)
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def measure(args):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        sys.exit("benchmarks/pages.py measures PostgreSQL: set DATABASE_URL.")
    ensure_database()
    # Cancel any statement past the timeout, on every connection the run opens.
    options = connection.settings_dict.setdefault("OPTIONS", {})
    # Added to the settings' own options (jit=off), so pages run as served.
    timeout = f"-c statement_timeout={args.timeout * 1000}"
    options["options"] = f"{options.get('options', '')} {timeout}".strip()
    setup_test_environment()  # the test client's host, and no mail goes out
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command(
        "seed_demo",
        "--students", str(args.students),
        "--mentors", str(args.mentors),
        "--cycles", str(args.cycles),
        stdout=io.StringIO(),
    )  # fmt: skip
    print(
        f"data ready in {time.perf_counter() - started:.1f} s ({connection.settings_dict['NAME']})"
    )

    from pages_world import bench_world

    world, users = bench_world(steering_email=STEERING)
    settings.DEBUG = False  # as served (and as the test runner does): no query log
    # Refusals (403, 404) are expected for most role and page pairs: not logged.
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here
    results = []
    for role in ROLES:
        results += measure_role(role, users[role], world, args.timeout)
    summarize(results)
    return 0


def candidate_pages(world):
    """(key, url) of every GET page worth trying: named non-admin routes, the
    admin index and every admin changelist."""
    from tests.security.routes import QUERIES, Unfillable, all_routes, route_url

    routes, _skipped = all_routes()
    for route in routes:
        name = route.name or ""
        if route.model_label is not None:
            if route.view != "changelist":
                continue
        elif not name or SKIP_NAMES.search(name):
            continue
        elif name.startswith("admin:") and name != "admin:index" and not route.kwarg_names:
            continue  # the admin's other views without arguments: forms, not pages
        try:
            url = route_url(route, world)
        except (Unfillable, AttributeError, KeyError):
            continue
        query = QUERIES.get(route.key)
        key = route.key if isinstance(route.key, str) else ".".join(route.key)
        yield key, url, query


def measure_role(role, user, world, timeout):
    from django.db import OperationalError, connection
    from django.test import Client

    client = Client()
    client.force_login(user)
    rows = []
    for key, url, query in candidate_pages(world):
        try:
            started = time.perf_counter()
            response = client.get(url, query or {})
            first = time.perf_counter() - started
            if response.status_code >= 500:
                # The outage handler answers a cancelled statement with 503.
                slow = first >= timeout
                rows.append(report(role, key, url, "?", "timeout" if slow else "error", 0))
                continue
            if response.status_code != 200:
                continue
            counted = QueryCounter()
            with connection.execute_wrapper(counted):
                client.get(url, query or {})
            repeats = 1 if first > SLOW_S else REPEATS
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                client.get(url, query or {})
                times.append((time.perf_counter() - started) * 1000)
            median, queries = f"{statistics.median(times):.1f}", counted.count
        except OperationalError:  # the statement timeout
            median, queries, repeats = "timeout", "?", 0
        rows.append(report(role, key, url, queries, median, repeats))
    return rows


def report(role, key, url, queries, median, repeats):
    print(
        f"role={role} key={role}:{key} page={url} queries={queries} median_ms={median} n={repeats}",
        flush=True,
    )
    return role, key, url, queries, median, repeats


class QueryCounter:
    """An execute wrapper counting statements (the debug query log is off)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def summarize(rows):
    timed = {(role, key): median for role, key, _url, _q, median, _n in rows}
    baseline = timed.get(BASELINE)
    if baseline in (None, "timeout"):
        print(f"pages={len(rows)} worst_page=n/a worst_ms=n/a worst_ratio=n/a baseline_ms=n/a")
        return
    baseline = float(baseline)

    def ms(row):
        return float(row[4]) if row[4] not in ("timeout", "error") else float("inf")

    worst = max(rows, key=ms)
    failed = worst[4] in ("timeout", "error")
    worst_ms = worst[4] if failed else f"{ms(worst):.1f}"
    ratio = "inf" if failed else f"{ms(worst) / max(baseline, 0.01):.1f}"
    print(
        f"pages={len(rows)} worst_page={worst[0]}:{worst[2]} worst_ms={worst_ms} "
        f"worst_ratio={ratio} baseline_ms={baseline:.1f}"
    )


if __name__ == "__main__":
    sys.exit(main())
