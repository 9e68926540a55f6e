"""The bulk demo data the benchmarks measure on, seeded once where it is missing."""

import io
import time

from django.core.management import call_command

from programs.models import Program


def seed_if_missing(program_name, *, students, mentors, cycles=13):
    """Seed ``seed_demo``'s bulk data (``students``, ``mentors``, ``cycles``)
    unless the program ``program_name`` is already there; prints the time."""
    if Program.objects.filter(name=program_name).exists():
        return
    started = time.perf_counter()
    call_command(
        "seed_demo",
        "--students", str(students),
        "--mentors", str(mentors),
        "--cycles", str(cycles),
        stdout=io.StringIO(),
    )  # fmt: skip
    print(f"seeded the bulk data in {time.perf_counter() - started:.1f} s")
