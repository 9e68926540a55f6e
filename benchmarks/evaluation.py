"""Time the evaluation computation at the issue's size: 11,000 students, 800 mentors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/evaluation.py

Inside one transaction that is rolled back at the end: seeds the bulk demo data
(``seed_demo --students 11000 --mentors 800 --cycles 13``, unless it is already
there), then adds two cycles in the final evaluation stage to the benchmark
coaching program, one with a quarter of the students and one with all of them,
both with all the mentors. Each student gets a full record there (the bulk
data's own history is in its other cycles): two confirmed meetings in
different months, the three required deliverables (two accepted), two
activity registrations with attendance, a recommendation, start and end
self-assessments on three dimensions, a survey answer about their mentor and,
for one student in four, three judges' scores. Tables are analysed as they
would be in production before timing.

Prints, per size, the compute time (``compute_evaluation`` alone, best of
two) and its query count, which must not grow with the students. Target:
<= 5 s at full size. Last line: ``compute_s=... queries=...`` at full size.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bulk_data import seed_if_missing  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments import models as a  # noqa: E402
from assessments.evaluation import compute_evaluation  # noqa: E402
from mentorship import models as m  # noqa: E402
from mentorship.demo.bulk import COACHING, COORDINATOR  # noqa: E402
from programs import models as p  # noqa: E402
from programs.table_stats import analyze  # noqa: E402
from sessions_app import models as s  # noqa: E402

DAY = datetime.timedelta(days=1)
GROUP_SIZE = 20
ACTIVITIES = 20
TABLES = [
    model._meta.db_table
    for model in (
        m.Enrollment, m.Engagement, m.Match, m.GroupMembership, m.OpportunityRecipient,
        s.Meeting, s.MeetingParticipant, s.Registration, a.Submission, a.Review,
        a.SelfAssessment, a.Rating, a.SurveyResponse, a.SurveyAnswer, a.Judgment,
    )
]  # fmt: skip


def bulk(model, rows):
    created = model.objects.bulk_create(rows, batch_size=5000)
    analyze([model])  # the next inserts and the timed queries plan at its size
    return created


def evaluation_cycle(program, name, students, mentors, coordinator, judges):
    """A cycle in evaluation with ``students`` ((profile id, user id)) and
    ``mentors`` (profile ids), each with a full record."""
    now = timezone.now()
    today = timezone.localdate()
    cycle = p.Cycle.objects.create(
        program=program,
        name=name,
        starts_on=today - 270 * DAY,
        ends_on=today + 30 * DAY,
        stage=p.Stage.EVALUATION,
    )
    engagements = bulk(
        m.Engagement,
        [
            m.Engagement(mentor_id=mentor, cycle=cycle, capacity=50, status="accepted")
            for mentor in mentors
        ],
    )
    enrollments = bulk(
        m.Enrollment,
        [
            m.Enrollment(student_id=student, cycle=cycle, status="matched")
            for student, _ in students
        ],
    )
    mentor_of = [engagements[i % len(engagements)] for i in range(len(enrollments))]
    bulk(
        m.Match,
        [
            m.Match(
                enrollment=e,
                engagement=g,
                source="manual",
                reason="benchmark",
                created_by=coordinator,
                published_at=now,
            )
            for e, g in zip(enrollments, mentor_of, strict=True)
        ],
    )
    groups = bulk(
        m.Group,
        [
            m.Group(cycle=cycle, kind=p.GroupKind.INDUSTRY, name=f"Group {n}")
            for n in range(len(enrollments) // GROUP_SIZE + 1)
        ],
    )
    bulk(
        m.GroupMembership,
        [
            m.GroupMembership(
                group=groups[i // GROUP_SIZE],
                role="student",
                student_id=e.student_id,
                published_at=now,
            )
            for i, e in enumerate(enrollments)
        ],
    )
    meetings = bulk(
        s.Meeting,
        [
            s.Meeting(
                cycle=cycle,
                author_id=g.mentor_id,
                starts_at=now - (30 + 45 * k + i % 20) * DAY,
                duration_minutes=45,
                mode="video",
                topics=["career_planning"],
                summary="Benchmark meeting.",
            )
            for i, g in enumerate(mentor_of)
            for k in range(2)
        ],
    )
    bulk(
        s.MeetingParticipant,
        [
            s.MeetingParticipant(
                meeting=meeting,
                student_id=enrollments[n // 2].student_id,
                status="confirmed",
                answered_at=now,
            )
            for n, meeting in enumerate(meetings)
        ],
    )
    kinds = p.DeliverableKind.objects.filter(program=program, required=True)
    requirements = bulk(
        a.Requirement,
        [a.Requirement(cycle=cycle, kind=kind, due_at=now - 60 * DAY) for kind in kinds],
    )
    versions = bulk(
        a.Submission,
        [
            a.Submission(
                requirement=r, enrollment=e, number=1, submitted_at=now - (70 + i % 10) * DAY
            )
            for r in requirements
            for i, e in enumerate(enrollments)
        ],
    )
    bulk(
        a.Review,
        [
            a.Review(
                submission=v,
                reviewer_id=mentor_of[i % len(enrollments)].mentor_id,
                decision="accepted" if i % 3 else "returned",
                comment="" if i % 3 else "Revise.",
                created_at=v.submitted_at + (i % 12) * DAY,
            )
            for i, v in enumerate(versions)
        ],
    )
    activities = bulk(
        s.Activity,
        [
            s.Activity(
                cycle=cycle,
                kind="training",
                title=f"Training {n}",
                starts_at=now - (10 + n) * DAY,
                ends_at=now - (10 + n) * DAY + datetime.timedelta(hours=2),
                group=groups[n % len(groups)],
                created_by=coordinator,
            )
            for n in range(ACTIVITIES)
        ],
    )
    bulk(
        s.Registration,
        [
            s.Registration(
                activity=activities[(i + k) % ACTIVITIES],
                user_id=user,
                status="going",
                attendance="present" if (i + k) % 4 else "absent",
            )
            for i, (_student, user) in enumerate(students)
            for k in range(2)
        ],
    )
    opportunities = bulk(
        m.Opportunity,
        [
            m.Opportunity(
                cycle=cycle,
                author_id=g.mentor_id,
                kind="internship",
                organisation="Benchmark Co.",
                role="Analyst intern",
                link="https://jobs.example.test/",
            )
            for g in engagements
        ],
    )
    bulk(
        m.OpportunityRecipient,
        [
            m.OpportunityRecipient(
                opportunity=opportunities[i % len(opportunities)],
                enrollment=e,
                status=("new", "applied", "interested")[i % 3],
            )
            for i, e in enumerate(enrollments)
        ],
    )
    assessments = bulk(
        a.SelfAssessment,
        [
            a.SelfAssessment(enrollment=e, moment=moment, submitted_at=now)
            for e in enrollments
            for moment in ("start", "end")
        ],
    )
    dimensions = list(p.CompetenceDimension.objects.filter(program=program))
    bulk(
        a.Rating,
        [
            a.Rating(
                self_assessment=sa,
                dimension=d,
                level=2 if sa.moment == "start" else 2 + (n + i) % 4,
            )
            for i, sa in enumerate(assessments)
            for n, d in enumerate(dimensions)
        ],
    )
    responses = bulk(
        a.SurveyResponse,
        [
            a.SurveyResponse(
                cycle=cycle, respondent_id=user, audience="student", enrollment=e, submitted_at=now
            )
            for e, (_student, user) in zip(enrollments, students, strict=True)
        ],
    )
    about = p.SurveyQuestion.objects.get(program=program, code="student_mentor")
    bulk(
        a.SurveyAnswer,
        [
            a.SurveyAnswer(response=r, question=about, value=1 + i % 5)
            for i, r in enumerate(responses)
        ],
    )
    evaluation = a.Evaluation.objects.create(cycle=cycle)
    judged = p.RubricCriterion.objects.get(program=program, code="student_judged")
    bulk(
        a.Judgment,
        [
            a.Judgment(
                evaluation=evaluation,
                criterion=judged,
                judge=judge,
                subject="student",
                enrollment=e,
                score=1 + (i + j * 3) % 10,
            )
            for i, e in enumerate(enrollments[::4])
            for j, judge in enumerate(judges)
        ],
    )
    return evaluation


def timed(evaluation, by):
    best, queries = None, None
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            compute_evaluation(evaluation=evaluation, by=by)
            elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        queries = len(captured)
    return best, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=11000)
    parser.add_argument("--mentors", type=int, default=800)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print(
            f"warning: running on {connection.vendor}; the target is for PostgreSQL.",
            file=sys.stderr,
        )
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        seed_if_missing(COACHING, students=args.students, mentors=args.mentors)
        program = p.Program.objects.get(name=COACHING)
        coordinator = m.User.objects.get(email=COORDINATOR)
        students = list(
            m.StudentProfile.objects.order_by("pk").values_list("pk", "user_id")[: args.students]
        )
        mentors = list(
            m.MentorProfile.objects.order_by("pk").values_list("pk", flat=True)[: args.mentors]
        )
        judges = bulk(
            m.User,
            [m.User(email=f"bench-judge-{n}@demo.test", full_name=f"Judge {n}") for n in range(3)],
        )
        sizes = [len(students) // 4, len(students)]
        started = time.perf_counter()
        evaluations = [
            evaluation_cycle(
                program, f"Evaluation benchmark {n}", students[:n], mentors, coordinator, judges
            )
            for n in sizes
        ]
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"ANALYZE {table}")
        print(f"records made in {time.perf_counter() - started:.1f} s")
        for n, evaluation in zip(sizes, evaluations, strict=True):
            elapsed, queries = timed(evaluation, coordinator)
            scores = a.Score.objects.filter(evaluation=evaluation).count()
            print(
                f"students={n} mentors={len(mentors)} scores={scores} "
                f"compute_s={elapsed:.2f} queries={queries}"
            )
        transaction.set_rollback(True)
    print(f"compute_s={elapsed:.2f} queries={queries}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
