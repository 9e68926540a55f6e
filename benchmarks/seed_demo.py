"""Time the bulk seed at the issue's size: 11,000 students, 800 mentors, 13 cycles.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/seed_demo.py

Migrates the database, runs ``seed_demo --students N --mentors M --cycles C``
inside a transaction, counts the rows it made per table and rolls back, so the
benchmark can run again and again on the same database. ``--keep`` commits the
data instead (to try the pages at scale); a second run then reports that the
data is already there. The target is under two minutes on PostgreSQL; SQLite
works too, with a warning, but says little about production.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("programs", "mentorship", "sessions_app", "assessments")
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=11000)
    parser.add_argument("--mentors", type=int, default=800)
    parser.add_argument("--cycles", type=int, default=13)
    parser.add_argument("--keep", action="store_true", help="commit the data")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print(
            f"warning: running on {connection.vendor}; the target is for PostgreSQL "
            "(set DATABASE_URL).",
            file=sys.stderr,
        )
    call_command("migrate", interactive=False, verbosity=0)
    before = counts()
    output = io.StringIO()
    with transaction.atomic():
        started = time.perf_counter()
        call_command(
            "seed_demo",
            "--students", str(args.students),
            "--mentors", str(args.mentors),
            "--cycles", str(args.cycles),
            stdout=output,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        created = {label: n - before[label] for label, n in counts().items()}
        if not args.keep:
            transaction.set_rollback(True)
    if not any(created.values()):
        print(output.getvalue().strip())
        print("nothing created: benchmark data is already in this database (--keep earlier?)")
        return 1

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    for label, n in created.items():
        if n:
            print(f"  {label:32} {n:>7}")
    print(f"rows: {sum(created.values())}; {'committed' if args.keep else 'rolled back'}")
    print(
        f"seed_s={elapsed:.2f} students={args.students} mentors={args.mentors} cycles={args.cycles}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
