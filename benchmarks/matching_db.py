"""The database half of benchmarks/matching.py: a MatchingRun over the
instance on PostgreSQL, then the coordinator's whole flow page by page.

Kept apart so each file stays small; it is imported by that script, which
puts the project root on the path.
"""

import datetime
import importlib.util
import os
import time


def database_runs(student_prefs, mentor_ranks, capacities, expected):
    """(run_s, end_to_end_s) on PostgreSQL over this instance, or None for each.

    None, with a line saying why, when the matching service is not there or
    DATABASE_URL is not PostgreSQL. The data goes in within a transaction that
    is rolled back, so the database is left as it was; the publication's
    e-mails are queued in it (PendingTask rows) and never sent.
    """
    if importlib.util.find_spec("mentorship.matching_runs") is None:
        print("run: not measured: mentorship.matching_runs does not exist")
        return None, None
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("run: not measured: set DATABASE_URL to a PostgreSQL database")
        return None, None
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from mentorship import matching_runs

    if not hasattr(matching_runs, "run_matching"):
        print("run: not measured: mentorship.matching_runs has no run_matching")
        return None, None
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, and mail to a list, never out
    settings.DEBUG = False  # as served: no query log
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        started = time.perf_counter()
        cycle, by, enrollment_of, engagement_of = _store(student_prefs, mentor_ranks, capacities)
        stored = time.perf_counter() - started
        started = time.perf_counter()
        run = matching_runs.run_matching(cycle=cycle, by=by)
        elapsed = time.perf_counter() - started
        student_of = {pk: s for s, pk in enrollment_of.items()}
        mentor_of = {pk: m for m, pk in engagement_of.items()}
        got = {student_of[int(e)]: mentor_of[int(m)] for e, m in run.result["assignment"].items()}
        run.delete()  # the coordinator's own run below starts from nothing
        total = coordinator_flow(cycle, by)
        transaction.set_rollback(True)
    same = "same assignment" if got == expected else "DIFFERENT assignment"
    print(
        f"run: {elapsed:.3f} s for run_matching on {connection.vendor} "
        f"(solve inside it {run.solve_ms} ms; {same} as stable_match; "
        f"{stored:.1f} s to insert the instance, rolled back)"
    )
    return elapsed, total


def coordinator_flow(cycle, by):
    """Seconds for what the coordinator does, page by page with the test
    client: run, look at the preview, commit (its confirmation, then the
    POST), publish (likewise). Prints each step and what publishing queued."""
    from django.core import mail
    from django.test import Client
    from django.urls import reverse

    from mentorship.models import Match, MatchingRun
    from programs.models import PendingTask

    client = Client()
    client.force_login(by)
    preview = reverse("admin:mentorship_matchingrun_preview", args=[cycle.pk])
    publish = reverse("admin:mentorship_matchingrun_publish", args=[cycle.pk])
    steps = []

    def step(name, method, url, data=None):
        started = time.perf_counter()
        response = getattr(client, method)(url, data or {})
        steps.append((name, time.perf_counter() - started))
        if response.status_code not in (200, 302):
            raise SystemExit(f"{name}: HTTP {response.status_code}")
        return response

    step("run", "post", reverse("admin:mentorship_matchingrun_run", args=[cycle.pk]))
    page = step("preview", "get", preview)
    commit = reverse("admin:mentorship_matchingrun_commit", args=[MatchingRun.objects.get().pk])
    step("commit page", "get", commit)
    step("commit", "post", commit, {"confirmed": "1"})
    step("publish page", "get", publish)
    step("publish", "post", publish, {"confirmed": "1"})
    total = sum(seconds for _name, seconds in steps)
    queued = PendingTask.objects.filter(name__startswith="mentorship.publishing.")
    published = Match.objects.filter(engagement__cycle=cycle, published_at__isnull=False)
    print(
        "end to end: "
        + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in steps)
        + f"; preview page {len(page.content) / 1024:.0f} KiB; {published.count()} matches "
        f"published, their mail in {queued.count()} queued task(s), {len(mail.outbox)} sent "
        "in the requests"
    )
    return total


def _store(student_prefs, mentor_ranks, capacities):
    """Insert the instance as a cycle in selection; returns the ids it used."""
    from django.contrib.auth.hashers import make_password

    from mentorship.models import (
        Engagement,
        EngagementStatus,
        Enrollment,
        MentorPreference,
        MentorProfile,
        StudentPreference,
        StudentProfile,
        User,
    )
    from programs.models import Cycle, Program, ProgramKind, Stage
    from programs.table_stats import analyze

    def insert(model, rows):
        created = model.objects.bulk_create(rows, batch_size=2000)
        analyze([model])  # the timed matching run plans at the table's size
        return created

    program = Program.objects.create(
        name="Matching benchmark (rolled back)", kind=ProgramKind.MENTOR, organisation="Benchmark"
    )
    today = datetime.date.today()
    cycle = Cycle.objects.create(
        program=program,
        name="benchmark",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=365),
        stage=Stage.SELECTION,
    )
    # Unusable passwords: hashing 11,800 real ones would take the whole run.
    password = make_password(None)

    def people(prefix, ids):
        users = [
            User(email=f"{prefix}-{i}@matching-bench.test", full_name=prefix, password=password)
            for i in ids
        ]
        return dict(zip(ids, insert(User, users), strict=True))

    by = User.objects.create(
        email="coordinator@matching-bench.test",
        full_name="Coordinator",
        is_staff=True,
        is_superuser=True,
    )
    mentor_users = people("mentor", list(capacities))
    profiles = insert(
        MentorProfile, [MentorProfile(user=u, kind="enterprise") for u in mentor_users.values()]
    )
    accepted = EngagementStatus.ACCEPTED
    engagements = insert(
        Engagement,
        [
            Engagement(mentor=p, cycle=cycle, capacity=capacities[m], status=accepted)
            for m, p in zip(capacities, profiles, strict=True)
        ],
    )
    engagement_of = {m: e.pk for m, e in zip(capacities, engagements, strict=True)}
    student_users = people("student", list(student_prefs))
    students = insert(
        StudentProfile,
        [
            StudentProfile(user=u, student_number=f"MB{s}", degree_level="master")
            for s, u in student_users.items()
        ],
    )
    # tie_break follows the student order, as stable_match's default does.
    enrollments = insert(
        Enrollment,
        [
            Enrollment(student=p, cycle=cycle, tie_break=index + 1)
            for index, p in enumerate(students)
        ],
    )
    enrollment_of = {s: e.pk for s, e in zip(student_prefs, enrollments, strict=True)}
    insert(
        StudentPreference,
        [
            StudentPreference(enrollment_id=e, engagement_id=engagement_of[m], rank=r)
            for s, e in enrollment_of.items()
            for r, m in enumerate(student_prefs[s], start=1)
        ],
    )
    insert(
        MentorPreference,
        [
            MentorPreference(engagement_id=e, enrollment_id=enrollment_of[s], rank=r)
            for m, e in engagement_of.items()
            for r, s in enumerate(mentor_ranks[m], start=1)
        ],
    )
    return cycle, by, enrollment_of, engagement_of
