"""Evaluation, judging and awards of every closed benchmark cycle.

Registered with mentorship's bulk registry (``seed_demo --students N``),
after the deliverables and surveys the evaluation scores. Each benchmark
program has a steering group of three (``mentorship.demo.bulk.STEERING``)
and award quotas as shares of those evaluated. In every closed cycle the
steering group judged every student, mentor and group on each judged
criterion; the evaluation was computed from the cycle's evidence (the compute
service's own figures and insert), finalized, and its awards proposed by
place within the quotas, decided (most confirmed, one in seven declined with
a reason, one student added by the steering group) and published. The
running cycles are still in process tracking: no evaluation yet.
"""

import datetime
from collections import Counter, defaultdict

from django.contrib.auth.hashers import make_password
from django.db.models import F

from mentorship.demo.bulk import COORDINATOR, STEERING
from mentorship.models import StaffRole, User
from programs.evaluation_rules import Measure
from programs.models import AwardCategory, AwardSubject, RubricCriterion
from programs.table_stats import analyze, insert_rows

from .awards import candidate, proposal, quota_of
from .evaluation import SCORE_FIELDS, STANDING_FIELDS, score_rows, subject_keys
from .judging import judged_subjects
from .models import Award, AwardDecision, Evaluation, EvaluationStatus, Judgment, Score, Standing
from .models.subjects import SUBJECT_FIELDS

BATCH = 2000
DAY = datetime.timedelta(days=1)
# Award quotas of the benchmark programs, as shares of those evaluated (%).
QUOTAS = {"outstanding_student": 5, "excellent_mentor": 10, "outstanding_group": 10}
DECLINE_EVERY = 7  # one proposed candidate in this many is declined
JUDGMENT_FIELDS = (
    "evaluation",
    "criterion",
    "judge",
    "subject",
    *SUBJECT_FIELDS.values(),
    "score",
    "comment",
    "updated_at",
)


def seed_bulk_awards(*, cycles, now):
    programs = {span.cycle.program_id for span in cycles}
    judges, staff = _steering_group(programs)
    closed = [span for span in cycles if span.cycle.stage == "closed"]
    coordinator = User.objects.get(email=COORDINATOR)
    evaluations = [
        Evaluation(
            cycle=span.cycle,
            status=EvaluationStatus.COMPUTED,
            computed_at=span.at["reward"] - 2 * DAY,
            computed_by=coordinator,
        )
        for span in closed
    ]
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    created = Counter({Evaluation: len(evaluations), **staff})
    created[Judgment] += _judgments(evaluations, closed, judges)
    analyze([Evaluation, Judgment])
    standings = []
    for evaluation, span in zip(evaluations, closed, strict=True):
        # The compute service's figures without its stage check: a closed
        # cycle was computed while it was in evaluation, from this evidence.
        scores, rows = score_rows(evaluation, span.at["reward"])
        insert_rows(Score, SCORE_FIELDS, scores)
        insert_rows(Standing, STANDING_FIELDS, rows)
        created.update({Score: len(scores), Standing: len(rows)})
        standings += rows
    analyze([Score, Standing])
    created[Award] += _awards(evaluations, closed, standings, judges[0])
    for evaluation, span in zip(evaluations, closed, strict=True):
        Evaluation.objects.filter(pk=evaluation.pk).update(
            status=EvaluationStatus.FINALIZED,
            progress_done=F("progress_total"),
            computed_at=span.at["reward"] - 2 * DAY,
            finalized_at=span.at["reward"] - DAY,
            finalized_by=coordinator,
        )
    return created


def _steering_group(programs):
    """(the judges, {model: rows created})."""
    judges, created = [], Counter()
    for email in STEERING:
        user, made = User.objects.get_or_create(
            email=email,
            defaults={
                "full_name": f"Steering {email.split('@')[0]}",
                "password": make_password(None),
            },
        )
        judges.append(user)
        created[User] += made
        for program in sorted(programs):
            # Saved one by one: the role's signal gives the member admin access.
            _role, made = StaffRole.objects.get_or_create(
                user=user, program_id=program, role="steering"
            )
            created[StaffRole] += made
    # A share, not a number: the quotas follow the size of each cycle.
    for code, percent in QUOTAS.items():
        AwardCategory.objects.filter(program__in=programs, code=code).update(
            quota=None, quota_percent=percent
        )
    return judges, created


def _judgments(evaluations, closed, judges):
    criteria = defaultdict(list)  # (program, subject) -> judged criteria
    for criterion in RubricCriterion.objects.filter(
        program__in={span.cycle.program_id for span in closed}, measure=Measure.JUDGED
    ):
        criteria[(criterion.program_id, criterion.subject)].append(criterion)
    rows = []
    for evaluation, span in zip(evaluations, closed, strict=True):
        saved = span.at["evaluation"] + 10 * DAY
        for subject in SUBJECT_FIELDS:
            ids = judged_subjects(span.cycle, subject).values_list("pk", flat=True)
            rows += [
                (
                    evaluation.pk,
                    criterion.pk,
                    judge.pk,
                    subject,
                    *subject_keys(subject, pk),
                    # Judges mostly agree, the third a little stricter.
                    min(10, 4 + (pk * 7 + criterion.pk) % 6 + (n != 2)),
                    "",
                    saved,
                )
                for criterion in criteria[(span.cycle.program_id, subject)]
                for pk in ids
                for n, judge in enumerate(judges)
            ]
    # Tuples in one statement, as the compute writes its scores: model
    # instances would cost several times the insert at 40,000 judgments.
    insert_rows(Judgment, JUDGMENT_FIELDS, rows)
    return len(rows)


def _awards(evaluations, closed, standings, decider):
    """Proposals by place within each category's quota, decided and published."""
    ranked = defaultdict(list)  # (evaluation pk, subject) -> [(subject id, rank, place)]
    for evaluation_pk, subject, *keys, _total, rank, place, _tied in standings:
        if rank is not None:
            pk = next(key for key in keys if key is not None)
            ranked[(evaluation_pk, subject)].append((pk, rank, place))
    categories = defaultdict(list)
    for category in AwardCategory.objects.filter(
        program__in={span.cycle.program_id for span in closed}
    ):
        categories[category.program_id].append(category)
    rows = []
    for evaluation, span in zip(evaluations, closed, strict=True):
        decided = span.at["reward"] + 5 * DAY
        for category in categories[span.cycle.program_id]:
            order = sorted(ranked[(evaluation.pk, category.subject)], key=lambda r: (r[2], r[1]))
            candidates = [(pk, rank) for pk, rank, _place in order]
            chosen = proposal(candidates, quota_of(category, len(candidates)))
            for n, (pk, tied) in enumerate(chosen):
                declined = n % DECLINE_EVERY == DECLINE_EVERY - 1
                rows.append(
                    candidate(
                        evaluation,
                        category,
                        pk,
                        proposed=True,
                        tied=tied,
                        decision=AwardDecision.DECLINED if declined else AwardDecision.CONFIRMED,
                        reason="Did not hand in the internship report." if declined else "",
                        citation="" if declined else "For an outstanding year.",
                        decided_by=decider,
                        decided_at=decided,
                        published_at=None if declined else decided + DAY,
                    )
                )
            beyond = candidates[len(chosen) : len(chosen) + 1]
            if category.subject == AwardSubject.STUDENT and beyond:
                rows.append(
                    candidate(
                        evaluation,
                        category,
                        beyond[0][0],
                        decision=AwardDecision.CONFIRMED,
                        reason="Led the team's case study beyond what the scores show.",
                        citation="For leadership in the team's case study.",
                        decided_by=decider,
                        decided_at=decided,
                        published_at=decided + DAY,
                    )
                )
    Award.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
