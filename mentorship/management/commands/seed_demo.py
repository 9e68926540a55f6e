import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mentorship.demo.plan import LOGINS

SIZE_OPTIONS = ("students", "mentors", "cycles")


class Command(BaseCommand):
    help = (
        "Load the demo: both model programs of the design, each with a current cycle in "
        "process tracking and a closed past cycle. Four logins use settings.DEMO_PASSWORD "
        "(coordinator@, steering@, mentor@ and student@demo.test); every other demo person "
        "has an unusable password. Safe to run again: only missing rows are created and "
        "existing rows are left as they are. With --students, --mentors and --cycles, "
        "generate benchmark data in bulk instead (two separate benchmark programs, people "
        "named bench-*, unusable passwords); when that data is already there the run is "
        "skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, help="Benchmark: students in all.")
        parser.add_argument("--mentors", type=int, help="Benchmark: mentors in all.")
        parser.add_argument("--cycles", type=int, help="Benchmark: cycles per program.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create the demo logins even with DEBUG off (their password is public).",
        )

    def handle(self, *args, **options):
        sizes = {name: options[name] for name in SIZE_OPTIONS}
        given = [name for name, value in sizes.items() if value is not None]
        if given and len(given) != len(SIZE_OPTIONS):
            raise CommandError("--students, --mentors and --cycles go together.")
        if given:
            return self.bulk(**sizes)
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo logins have a "
                "published password. Use --force if you really want them here."
            )
        self.demo()

    def demo(self):
        from mentorship.demo.seed import seed_demo

        created, plan = seed_demo()
        if created.total():
            self.stdout.write("Demo data created:")
            for model, count in sorted(created.items(), key=lambda item: item[0]._meta.label):
                if count:
                    self.stdout.write(f"  {model._meta.verbose_name_plural}: {count}")
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        for program in plan.programs:
            cycles = ", ".join(f"{cycle.name} ({cycle.stage})" for cycle in program.cycles)
            self.stdout.write(f"{program.name}: cycles {cycles}.")
        self.stdout.write(f"Logins (password {settings.DEMO_PASSWORD}):")
        for email, (name, role) in LOGINS.items():
            self.stdout.write(f"  {email:24} {name}, {role}")

    def bulk(self, *, students, mentors, cycles):
        from mentorship.demo.bulk import BulkSizeError, seed_bulk

        started = time.perf_counter()
        try:
            created = seed_bulk(students=students, mentors=mentors, cycles=cycles)
        except BulkSizeError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        if created is None:
            self.stdout.write("Benchmark data already present; skipped (use a fresh database).")
            return
        for label, count in created.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            f"Seeded {students} students, {mentors} mentors, {cycles} cycles per program "
            f"in {elapsed:.1f} s."
        )
