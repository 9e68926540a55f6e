"""Load test: each role's main pages under 16 concurrent connections to gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages .venv/bin/python benchmarks/load.py

Runs against data benchmarks/pages.py built (``seed_demo --students 11000
--mentors 800 --cycles 13``; this script does not seed). Starts gunicorn
(``--workers`` 3, sync) on a free port of 127.0.0.1 with production settings:
DEBUG off, a SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, the DATABASE_URL given,
REDIS_URL (``--redis``, default ``redis://127.0.0.1:6379/13``), static files
collected into a scratch directory and served by WhiteNoise, HTTPS as a
TLS-terminating proxy forwards it (``X-Forwarded-Proto: https``). Signs in
the personas of benchmarks/pages.py (the benchmark coordinator, the steering
member, the running cycle's mentor with the fullest load and one of their
students: a session each, made with the test client's ``force_login``), then
``--connections`` threads (16) request the roles' main pages (MAIN below)
round robin, each with its role's session, for ``--seconds`` (30) after one
warm-up request per page. A request is timed from connecting to the last
byte; anything but 200 counts as an error.

Prints per page ``role= key= page= n= p50_ms= p95_ms= rps= errors=`` and a
last line ``requests= rps= p50_ms= p95_ms= worst_page= worst_p50_ms=
errors=`` over all of them.
"""

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Each role's main pages, by the key tests/security/routes.py gives their URL.
MAIN = {
    "coordinator": [
        "coordinator_home",
        "cycle_dashboard",
        "activity_list",
        "admin:index",
        "mentorship.enrollment.changelist",
        "admin:mentorship_matchingrun_preview",
        "admin:assessments_award_cycle",
    ],
    "steering": [
        "steering_home",
        "cycle_dashboard",
        "admin:assessments_judgment_judge",
        "admin:assessments_award_cycle",
    ],
    "mentor": [
        "mentor_home",
        "review_list",
        "mentor_meetings",
        "activity_list",
        "mentor_opportunities",
        "selection_applicants",
    ],
    "student": [
        "student_home",
        "deliverable_list",
        "student_meetings",
        "activity_list",
        "student_opportunities",
        "selection_mentors",
        "preferences",
    ],
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    return parser.parse_args(argv)


def production_environment(args, static_root):
    """The settings gunicorn (and this process, for the sessions) runs with."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://127.0.0.1",
        REDIS_URL=args.redis,
        CACHE_KEY_PREFIX="bench-load",
        SECURE_PROXY_SSL_HEADER="1",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
    )
    return env


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sessions_and_pages():
    """{role: session cookie} and [(role, key, url)] of the main pages."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from pages import STEERING, candidate_pages
    from pages_world import bench_world

    world, users = bench_world(steering_email=STEERING)
    urls = {key: url for key, url, query in candidate_pages(world) if not query}
    cookies, pages = {}, []
    for role, keys in MAIN.items():
        client = Client()
        client.force_login(users[role])
        name = settings.SESSION_COOKIE_NAME
        cookies[role] = f"{name}={client.cookies[name].value}"
        for key in keys:
            if key in urls:
                pages.append((role, key, urls[key]))
            else:
                print(f"role={role} key={key} skipped: nothing to fill its URL with", flush=True)
    return cookies, pages


def start_gunicorn(env, port, workers):
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not listen within 60 s")


def fetch(port, url, cookie):
    """(status, seconds) of one GET, a new connection each (sync workers close it)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request(
            "GET",
            url,
            headers={
                "Host": "127.0.0.1",
                "Cookie": cookie,
                "X-Forwarded-Proto": "https",
            },
        )
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - started


def drive(port, pages, cookies, *, connections, seconds):
    """{(role, key): [(status, seconds)]} from ``connections`` threads."""
    results = {(role, key): [] for role, key, _url in pages}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(offset):
        index = offset
        while time.monotonic() < stop:
            role, key, url = pages[index % len(pages)]
            index += 1
            outcome = fetch(port, url, cookies[role])
            with lock:
                results[(role, key)].append(outcome)

    # Spread over the list from the start, so a short run still covers every page.
    threads = [
        threading.Thread(target=worker, args=(n * len(pages) // connections,))
        for n in range(connections)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(pages, results, elapsed):
    everything, worst = [], (0.0, "n/a")
    for role, key, url in pages:
        rows = results[(role, key)]
        times = [seconds * 1000 for _status, seconds in rows]
        errors = sum(status != 200 for status, _seconds in rows)
        everything += rows
        if not times:
            print(f"role={role} key={key} page={url} n=0")
            continue
        p50 = statistics.median(times)
        worst = max(worst, (p50, f"{role}:{url}"))
        print(
            f"role={role} key={key} page={url} n={len(times)} p50_ms={p50:.0f} "
            f"p95_ms={percentile(times, 0.95):.0f} rps={len(times) / elapsed:.2f} errors={errors}",
            flush=True,
        )
    times = [seconds * 1000 for _status, seconds in everything] or [0]
    errors = sum(status != 200 for status, _seconds in everything)
    print(
        f"requests={len(everything)} rps={len(everything) / elapsed:.1f} "
        f"p50_ms={statistics.median(times):.0f} p95_ms={percentile(times, 0.95):.0f} "
        f"worst_page={worst[1]} worst_p50_ms={worst[0]:.0f} errors={errors}"
    )


def main():
    args = parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("benchmarks/load.py needs a PostgreSQL DATABASE_URL with the benchmark data.")
    with tempfile.TemporaryDirectory(prefix="bench-load-static-") as static_root:
        env = production_environment(args, static_root)
        os.environ.update(env)  # the sessions are signed with the server's SECRET_KEY
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        cookies, pages = sessions_and_pages()
        port = free_port()
        server = start_gunicorn(env, port, args.workers)
        try:
            for role, key, url in pages:  # warm up: one each, not counted
                status, seconds = fetch(port, url, cookies[role])
                print(f"warm-up role={role} key={key} status={status} ms={seconds * 1000:.0f}")
            print(
                f"driving {len(pages)} pages with {args.connections} connections "
                f"for {args.seconds:g} s ({args.workers} gunicorn workers)",
                flush=True,
            )
            results, elapsed = drive(
                port, pages, cookies, connections=args.connections, seconds=args.seconds
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(pages, results, elapsed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
