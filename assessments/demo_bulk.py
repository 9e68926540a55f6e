"""Deliverables, competence and survey history of every benchmark cycle.

Registered with mentorship's bulk registry (``seed_demo --students N``). Per
cycle: a requirement for each required deliverable kind; each matched student
hands in what was due by now, one in four a first version their mentor
returned and a second one accepted; start and (once tracking is over) end
self-assessments on every competence dimension; in closed cycles students and
mentors answered the satisfaction survey. Set-based: a few queries per run.
"""

import datetime
from collections import Counter, defaultdict

from mentorship.models import Engagement, Match
from programs.models import CompetenceDimension, DeliverableKind, SurveyQuestion

from .models import (
    Rating,
    Requirement,
    Review,
    SelfAssessment,
    Submission,
    SurveyAnswer,
    SurveyResponse,
)

BATCH = 2000
DAY = datetime.timedelta(days=1)


def seed_bulk_assessments(*, cycles, now):
    by_pk = {span.cycle.pk: span for span in cycles}
    programs = {span.cycle.program_id for span in cycles}
    matched = defaultdict(list)  # cycle pk -> [(enrollment, mentor, student user)]
    for cycle_pk, *row in (
        Match.objects.filter(enrollment__cycle_id__in=by_pk, published_at__isnull=False)
        .order_by("pk")
        .values_list(
            "enrollment__cycle_id",
            "enrollment_id",
            "engagement__mentor_id",
            "enrollment__student__user_id",
        )
    ):
        matched[cycle_pk].append(row)
    created = Counter()
    created.update(_deliverables(by_pk, programs, matched, now))
    created.update(_competence(by_pk, programs, matched))
    created.update(_survey(by_pk, programs, matched))
    return created


def _per_program(model, programs, **filters):
    rows = defaultdict(list)
    for rule in model.objects.filter(program_id__in=programs, **filters).order_by("position"):
        rows[rule.program_id].append(rule)
    return rows


def _deliverables(by_pk, programs, matched, now):
    kinds = _per_program(DeliverableKind, programs, required=True)
    requirements = []
    for span in by_pk.values():
        cycle = span.cycle
        for n, kind in enumerate(kinds[cycle.program_id]):
            if cycle.stage == "closed":
                due = span.moment((n + 1) / (len(kinds[cycle.program_id]) + 1))
            else:  # the running cycle: the first was due, the others are ahead
                due = span.moment(0.6) if n == 0 else now + (30 + 60 * n) * DAY
            requirements.append(Requirement(cycle=cycle, kind=kind, due_at=due))
    Requirement.objects.bulk_create(requirements, batch_size=BATCH)
    versions, reviewers = [], []
    for requirement in requirements:
        if requirement.due_at > now:
            continue
        for index, (enrollment, mentor, _user) in enumerate(matched[requirement.cycle_id]):
            first = requirement.due_at - (3 + 20 * (index % 4 == 0) + index % 5) * DAY
            handed = [first] + ([first + 10 * DAY] if index % 4 == 0 else [])
            for number, at in enumerate(handed, 1):
                versions.append(
                    Submission(
                        requirement=requirement,
                        enrollment_id=enrollment,
                        number=number,
                        content={"text": "Benchmark submission."},
                        submitted_at=at,
                    )
                )
                reviewers.append((mentor, number < len(handed)))
    Submission.objects.bulk_create(versions, batch_size=BATCH)
    reviews = [
        Review(
            submission=version,
            reviewer_id=mentor,
            decision="returned" if returned else "accepted",
            comment="Please expand the plan for the second term." if returned else "",
            grade=None if returned else 70 + version.pk % 30,
            created_at=version.submitted_at + 2 * DAY,
        )
        for version, (mentor, returned) in zip(versions, reviewers, strict=True)
    ]
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    return {Requirement: len(requirements), Submission: len(versions), Review: len(reviews)}


def _competence(by_pk, programs, matched):
    dimensions = _per_program(CompetenceDimension, programs)
    assessments = []
    for cycle_pk, rows in matched.items():
        span = by_pk[cycle_pk]
        moments = [("start", span.moment(0.05))]
        if span.cycle.stage == "closed":
            moments.append(("end", span.moment(0.97)))
        assessments += [
            SelfAssessment(enrollment_id=enrollment, moment=moment, submitted_at=at)
            for enrollment, _mentor, _user in rows
            for moment, at in moments
        ]
    SelfAssessment.objects.bulk_create(assessments, batch_size=BATCH)
    program_of = {pk: span.cycle.program_id for pk, span in by_pk.items()}
    cycle_of = {e: c for c, rows in matched.items() for e, _m, _u in rows}
    ratings = [
        Rating(
            self_assessment=sa,
            dimension=dimension,
            level=2 + (sa.enrollment_id + n) % 2 + (sa.moment == "end") * (sa.enrollment_id % 3),
        )
        for sa in assessments
        for n, dimension in enumerate(dimensions[program_of[cycle_of[sa.enrollment_id]]])
    ]
    Rating.objects.bulk_create(ratings, batch_size=BATCH)
    return {SelfAssessment: len(assessments), Rating: len(ratings)}


def _survey(by_pk, programs, matched):
    questions = _per_program(SurveyQuestion, programs)
    closed = [pk for pk, span in by_pk.items() if span.cycle.stage == "closed"]
    mentors = Engagement.objects.filter(cycle_id__in=closed).values_list(
        "cycle_id", "pk", "mentor__user_id"
    )
    responses = []
    for cycle_pk in closed:
        at = by_pk[cycle_pk].tracked_until + 5 * DAY
        responses += [
            SurveyResponse(
                cycle_id=cycle_pk,
                respondent_id=user,
                audience="student",
                enrollment_id=enrollment,
                submitted_at=at,
            )
            for enrollment, _mentor, user in matched[cycle_pk]
        ]
    responses += [
        SurveyResponse(
            cycle_id=cycle_pk,
            respondent_id=user,
            audience="mentor",
            engagement_id=engagement,
            submitted_at=by_pk[cycle_pk].tracked_until + 6 * DAY,
        )
        for cycle_pk, engagement, user in mentors
    ]
    SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)
    program_of = {pk: span.cycle.program_id for pk, span in by_pk.items()}
    answers = []
    for index, response in enumerate(responses):
        for question in questions[program_of[response.cycle_id]]:
            if question.audience != response.audience:
                continue
            if question.kind == "likert":
                # About nine in ten satisfied (4 or 5), as the seed reports.
                value = (5, 4, 4, 5, 4, 5, 4, 3, 5, 2)[(index + question.pk) % 10]
                answers.append(SurveyAnswer(response=response, question=question, value=value))
            elif index % 7 == 0:
                answers.append(
                    SurveyAnswer(response=response, question=question, text="More company visits.")
                )
    SurveyAnswer.objects.bulk_create(answers, batch_size=BATCH)
    return {SurveyResponse: len(responses), SurveyAnswer: len(answers)}
