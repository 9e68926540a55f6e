"""Time the two admin pages whose size grew with people: team forming and award decisions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python benchmarks/people_pages.py

Inside one transaction that is rolled back at the end: seeds the bulk demo
data (``seed_demo --students 11000 --mentors 800 --cycles 13``, unless it is
already there), then adds to the benchmark alumni program a cycle in kick-off
with every mentor engaged and every student matched to one of them
(published), and signs in with the test client:

* as the coordinator, the cycle's "Teams of mentors" page: the suggestion,
  saving it (one POST of the page's own form), the saved teams, and saving
  them again as they are;
* then the cycle moves to reward with a finalized evaluation (every student,
  mentor and team ranked) and a quota of ``--quota`` percent per award
  category; awards are proposed from the ranking, and as a steering member
  the cycle's awards page: its first page, and saving its decisions form with
  every row on it confirmed.

Per step it prints ``step= bytes= widgets= queries= median_ms= n=``: the
response's size, its form widgets (input, select, textarea), the queries of
one request and the median of ``--repeats`` requests (a POST once).
``--pages teams`` or ``--pages awards`` measures one of them only (without
the teams, the awards rank no groups).
"""

import argparse
import datetime
import logging
import os
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bulk_data import seed_if_missing  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from pages import QueryCounter  # noqa: E402

from assessments import models as a  # noqa: E402
from assessments.awards import propose_awards  # noqa: E402
from mentorship import models as m  # noqa: E402
from mentorship.demo.bulk import ALUMNI, COORDINATOR  # noqa: E402
from programs import models as p  # noqa: E402
from programs.table_stats import analyze  # noqa: E402

WIDGET = re.compile(rb"<(input|select|textarea)\b")
STEERING = "bench-people-steering@demo.test"
DAY = datetime.timedelta(days=1)


def measure(step, client, url, repeats, *, data=None):
    """Request ``url`` (GET, or POST ``data`` once) and print its figures."""
    send = (lambda: client.post(url, data)) if data is not None else (lambda: client.get(url))
    if data is None:
        send()  # warm: templates, translations
    counted = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counted):
        response = send()
    times = [(time.perf_counter() - started) * 1000]
    for _ in range(repeats - 1 if data is None else 0):
        started = time.perf_counter()
        response = send()
        times.append((time.perf_counter() - started) * 1000)
    assert response.status_code in (200, 302), (step, response.status_code)
    body = response.content
    print(
        f"step={step} status={response.status_code} bytes={len(body)} "
        f"widgets={len(WIDGET.findall(body))} queries={counted.count} "
        f"median_ms={statistics.median(times):.1f} n={len(times)}",
        flush=True,
    )
    return response


def bulk(model, rows):
    created = model.objects.bulk_create(rows, batch_size=5000)
    analyze([model])
    return created


def matched_cycle(program, coordinator, *, students, mentors):
    """A cycle in kick-off: every mentor engaged, every student matched (published)."""
    today = timezone.localdate()
    cycle = p.Cycle.objects.create(
        program=program,
        name="People pages benchmark",
        starts_on=today - 30 * DAY,
        ends_on=today + 300 * DAY,
        stage=p.Stage.KICK_OFF,
    )
    engagements = bulk(
        m.Engagement,
        [m.Engagement(mentor_id=pk, cycle=cycle, capacity=50, status="accepted") for pk in mentors],
    )
    enrollments = bulk(
        m.Enrollment,
        [m.Enrollment(student_id=pk, cycle=cycle, status="matched") for pk in students],
    )
    now = timezone.now()
    bulk(
        m.Match,
        [
            m.Match(
                enrollment=enrollment,
                engagement=engagements[i % len(engagements)],
                source="manual",
                reason="benchmark",
                created_by=coordinator,
                published_at=now,
            )
            for i, enrollment in enumerate(enrollments)
        ],
    )
    return cycle, engagements, enrollments


def teams_page(client, cycle, repeats):
    url = reverse("admin:mentorship_group_teams", args=[cycle.pk])
    page = measure("teams_suggested", client, url, repeats)
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: value for key, value in data.items() if value is not None}
    measure("teams_save", client, url, repeats, data=data)
    teams = m.Group.objects.filter(cycle=cycle, kind=p.GroupKind.MENTOR_TEAM).count()
    print(f"teams={teams} mentors_in_teams={len([k for k in data if k.startswith('mentor_')])}")
    saved = measure("teams_saved", client, url, repeats)
    form = saved.context["form"]
    data = {name: form[name].value() for name in form.fields}
    measure("teams_resave", client, url, repeats, data=data)  # as saved: nothing rewritten


def rewarding(cycle, coordinator, engagements, enrollments, quota):
    """``cycle`` in reward with a finalized evaluation ranking everyone, and
    the program's award categories at ``quota`` percent; candidates proposed."""
    p.Cycle.objects.filter(pk=cycle.pk).update(stage=p.Stage.REWARD)
    now = timezone.now()
    evaluation = a.Evaluation.objects.create(
        cycle=cycle,
        status=a.EvaluationStatus.FINALIZED,
        computed_at=now,
        finalized_at=now,
        finalized_by=coordinator,
    )
    teams = list(m.Group.objects.filter(cycle=cycle).order_by("pk"))
    subjects = [("student", "enrollment", enrollments), ("mentor", "engagement", engagements)]
    subjects.append(("group", "group", teams))
    rows = []
    for subject, key, objects in subjects:
        for n, obj in enumerate(objects):
            total = 100.0 - 90.0 * n / len(objects)
            rank = place = n + 1
            rows.append(
                a.Standing(
                    evaluation=evaluation,
                    subject=subject,
                    total=total,
                    rank=rank,
                    place=place,
                    **{key: obj},
                )
            )
    bulk(a.Standing, rows)  # bulk: Standing.save() refuses a finalized evaluation's rows
    p.AwardCategory.objects.filter(program=cycle.program).update(quota=None, quota_percent=quota)
    proposed = propose_awards(evaluation=evaluation, by=coordinator)
    analyze([a.Award])
    print(f"standings={len(rows)} candidates={proposed}")


def steering_member(program):
    user = m.User.objects.create(email=STEERING, full_name="People Pages Steering")
    m.StaffRole.objects.create(user=user, program=program, role="steering")
    return user


def awards_page(client, cycle, repeats):
    url = reverse("admin:assessments_award_cycle", args=[cycle.pk])
    page = measure("awards_page", client, url, repeats)
    rows = re.findall(r'name="(award-\d+)-citation"', page.text)
    data = {f"{row}-decision": "confirmed" for row in rows}
    data.update({f"{row}-reason": "" for row in rows})
    data.update({f"{row}-citation": "For a steady year." for row in rows})
    print(f"rows_on_page={len(rows)}")
    decide = re.search(r'action="([^"]*/decide/[^"]*)"', page.text).group(1).replace("&amp;", "&")
    measure("awards_save", client, decide, repeats, data=data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=11000)
    parser.add_argument("--mentors", type=int, default=800)
    parser.add_argument("--quota", type=int, default=10, help="award quota, percent")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pages", default="teams,awards", help="which pages, comma-separated")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print(f"warning: running on {connection.vendor}; figures are for PostgreSQL.")
    call_command("migrate", interactive=False, verbosity=0)
    setup_test_environment()  # the test client's host, and no mail goes out
    settings.DEBUG = False
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here
    with transaction.atomic():
        seed_if_missing(ALUMNI, students=args.students, mentors=args.mentors)
        program = p.Program.objects.get(name=ALUMNI)
        coordinator = m.User.objects.get(email=COORDINATOR)
        students = m.StudentProfile.objects.order_by("pk").values_list("pk", flat=True)
        mentors = m.MentorProfile.objects.order_by("pk").values_list("pk", flat=True)
        cycle, engagements, enrollments = matched_cycle(
            program,
            coordinator,
            students=list(students[: args.students]),
            mentors=list(mentors[: args.mentors]),
        )
        print(f"cycle {cycle.pk}: {len(engagements)} mentors, {len(enrollments)} students")
        client = Client()
        client.force_login(coordinator)
        if "teams" in args.pages:
            teams_page(client, cycle, args.repeats)
        if "awards" in args.pages:
            rewarding(cycle, coordinator, engagements, enrollments, args.quota)
            client.force_login(steering_member(program))
            awards_page(client, cycle, args.repeats)
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
