"""Time the roster import (preview and confirm) and export at the issue's size: 11,000 students.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/roster.py

Inside one transaction that is rolled back at the end: seeds the bulk demo data
(``seed_demo --students 11000 --mentors 800 --cycles 13``, unless it is already
there), opens a new cycle in the benchmark coaching program and builds a
student roster CSV of ``--rows`` rows (11,000): every student already on that
program's roster (their e-mail address in capitals, a new statement), placed
in the new cycle, and new students for the rest. It runs the file as a long
upload does (mentorship/roster_imports.py, the background task's service):
the preview, then the confirm, each timed with its query count, and checks
that the confirm wrote a roster row and an enrollment for every line. Then it
exports the program's student roster as CSV and as XLSX, as the admin's
export does, timed with the query count (which must not grow with the
students).

Prints ``step= rows= s= queries=`` per step; the last line is
``preview_s=... confirm_s=... export_csv_s=... export_xlsx_s=... export_queries=...``
(targets: preview and confirm each under 30 s).
"""

import argparse
import csv
import datetime
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from mentorship import models as m  # noqa: E402
from mentorship.demo.bulk import COACHING, COORDINATOR  # noqa: E402
from mentorship.resources import StudentRosterResource  # noqa: E402
from mentorship.roster_formats import RosterCSV, RosterXLSX  # noqa: E402
from mentorship.roster_imports import (  # noqa: E402
    confirm_roster_import,
    run_roster_import,
    start_roster_import,
)
from programs import models as p  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import QueryCounter  # noqa: E402


class Rollback(Exception):
    pass


def timed(step, rows, work):
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    print(f"step={step} rows={rows} s={seconds:.2f} queries={counter.count}", flush=True)
    return seconds, counter.count, result


def roster_file(program, cycle, rows):
    """CSV bytes: the program's students (up to ``rows``), then new ones."""
    profiles = (
        m.StudentProfile.objects.filter(user__roster_entries__program=program)
        .select_related("user")
        .order_by("pk")[:rows]
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(StudentRosterResource.column_names())
    written = 0
    for profile in profiles:
        user = profile.user
        writer.writerow(
            [user.email.upper(), user.full_name, "", program.name, cycle.name,
             profile.student_number, profile.degree_level, profile.major, profile.year,
             "", "Re-enrolling for the new cycle."]
        )  # fmt: skip
        written += 1
    existing = written
    for number in range(rows - written):
        writer.writerow(
            [f"new.student{number}@bench.test", f"New Student {number}", "zh-hans",
             program.name, cycle.name, f"BENCH{number:07d}", "master", "Finance", 1,
             "Consulting", "First application."]
        )  # fmt: skip
    return out.getvalue().encode("utf-8"), existing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=11000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print(f"warning: running on {connection.vendor}; the target is for PostgreSQL.")
    call_command("migrate", interactive=False, verbosity=0)
    try:
        with transaction.atomic():
            run(args)
            raise Rollback
    except Rollback:
        pass


def run(args):
    if not p.Program.objects.filter(name=COACHING).exists():
        started = time.perf_counter()
        call_command(
            "seed_demo", "--students", "11000", "--mentors", "800", "--cycles", "13",
            stdout=io.StringIO(),
        )  # fmt: skip
        print(f"seeded the bulk data in {time.perf_counter() - started:.1f} s")
    program = p.Program.objects.get(name=COACHING)
    coordinator = m.User.objects.get(email=COORDINATOR)
    today = datetime.date.today()
    cycle = p.Cycle.objects.create(
        program=program,
        name="Benchmark intake",
        starts_on=today + datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=400),
    )
    data, existing = roster_file(program, cycle, args.rows)
    print(f"file: {args.rows} rows ({existing} on the roster already), {len(data)} bytes")
    job = start_roster_import(
        by=coordinator, kind=m.RosterRole.STUDENT, file_name="bench.csv", file_format="csv",
        data=data,
    )  # fmt: skip
    preview_s, _queries, _ = timed(
        "preview", args.rows, lambda: run_roster_import(import_id=job.pk)
    )
    job.refresh_from_db()
    if job.status != m.RosterImportStatus.PREVIEW_READY:
        sys.exit(f"preview failed: {job.status} {str(job.outcome)[:2000]}")
    print(f"preview: {job.outcome['totals']}")
    confirm_roster_import(job=job, by=coordinator)
    confirm_s, _queries, _ = timed(
        "confirm", args.rows, lambda: run_roster_import(import_id=job.pk)
    )
    job.refresh_from_db()
    enrolled = m.Enrollment.objects.filter(cycle=cycle).count()
    if job.status != m.RosterImportStatus.DONE or enrolled != args.rows:
        sys.exit(f"confirm failed: {job.status} enrolled={enrolled} {str(job.outcome)[:2000]}")
    print(f"confirm: {job.outcome['totals']}, {enrolled} enrolled in the new cycle")

    exported = m.StudentProfile.objects.filter(user__roster_entries__program=program).count()
    results = {}
    for name, file_format in (("csv", RosterCSV), ("xlsx", RosterXLSX)):

        def export(file_format=file_format):
            resource = StudentRosterResource(user=coordinator)
            return file_format().export_data(resource.export(m.StudentProfile.objects.all()))

        results[name] = timed(f"export_{name}", exported, export)
    print(
        f"preview_s={preview_s:.2f} confirm_s={confirm_s:.2f} "
        f"export_csv_s={results['csv'][0]:.2f} export_xlsx_s={results['xlsx'][0]:.2f} "
        f"export_queries={results['csv'][1]}"
    )


if __name__ == "__main__":
    main()
