"""Computing a cycle's evaluation: each criterion of the program's rubric for
every student, mentor and group of the cycle, then each one's weighted total
and rank.

Who is evaluated: students matched in the cycle, mentors whose engagement was
accepted (or has ended), and every group of the cycle, mentor teams and
coaching groups alike (a program has one kind or the other, and the rubric's
group criteria fit both).

A subject's total is the weighted mean of the values of its criteria that
have one. Evidence the program expects and the subject lacks scores 0; a
criterion is left out of someone's total (the other weights count for it)
only where it does not apply to them, or, for a judged criterion, while
nobody has judged them (assessments.evaluation_measures says which is
which). Ranks are by total, best first; equal totals share a rank, are
marked tied, and the next rank skips (1, 1, 3); no total, no rank.

Places order everyone ranked without ties, for award quotas: by total, then
the steering group's score (the judged criteria's weighted mean), then the
figure of the criterion marked ``breaks_ties``, each higher first and a
missing figure last, then by the earlier record (enrollment, engagement or
group). Tied subjects keep their shared rank and the ``tied`` mark.
"""

import math

from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.evaluation_rules import Measure
from programs.models import AwardSubject, RubricCriterion, Stage
from programs.table_stats import analyze, insert_rows

from .evaluation_measures import COMPUTED, Inputs
from .judging import judged_subjects
from .models import Evaluation, EvaluationStatus, Judgment, Score, Standing
from .models.subjects import SUBJECT_FIELDS

# Student totals feed the mentors' and groups' results, so students go first.
SUBJECT_ORDER = (AwardSubject.STUDENT, AwardSubject.MENTOR, AwardSubject.GROUP)
TRIM_FROM = 3  # judges from which the highest and the lowest score are dropped
JUDGED_SCALE = 10  # a 1-10 score times this is on the 0-100 scale
RANK_DIGITS = 9  # totals equal to this many decimals tie
SCORE_FIELDS = ("evaluation", "criterion", "subject", *SUBJECT_FIELDS.values(), "raw", "value")
STANDING_FIELDS = (
    "evaluation",
    "subject",
    *SUBJECT_FIELDS.values(),
    "total",
    "rank",
    "place",
    "tied",
)


class EvaluationError(Exception):
    """Why an evaluation cannot be computed now; the message is translated."""


def judged_mean(total, count, highest, lowest):
    """The judged figure of ``count`` scores adding up to ``total``: their
    mean, or with at least three judges the mean without one highest and one
    lowest score. None without scores."""
    if not count:
        return None
    if count >= TRIM_FROM:
        return (total - highest - lowest) / (count - 2)
    return total / count


def trimmed_mean(scores):
    """``judged_mean`` of a list of 1-10 scores."""
    scores = list(scores)
    if not scores:
        return None
    return judged_mean(sum(scores), len(scores), max(scores), min(scores))


def judged_figures(judgments):
    """{(criterion id, subject id): judged figure} of a Judgment queryset,
    added up in the database (one query)."""
    rows = (
        judgments.order_by()
        .values("criterion", "subject", *SUBJECT_FIELDS.values())
        .annotate(total=Sum("score"), n=Count("pk"), high=Max("score"), low=Min("score"))
    )
    return {
        (row["criterion"], row[SUBJECT_FIELDS[row["subject"]]]): judged_mean(
            row["total"], row["n"], row["high"], row["low"]
        )
        for row in rows
    }


def same_figure(figure, raw):
    """Whether a figure worked out again is the one stored as a score's ``raw``."""
    if figure is None or raw is None:
        return figure is raw
    return math.isclose(figure, raw, rel_tol=1e-9, abs_tol=1e-9)


def weighted_total(weighted_values):
    """Σ(weight × value) / Σ(weight) over the (weight, value) pairs whose value
    is not None; None when none has one."""
    counted = [(weight, value) for weight, value in weighted_values if value is not None]
    weights = sum(weight for weight, _value in counted)
    if not weights:
        return None
    return sum(weight * value for weight, value in counted) / weights


def shared_ranks(totals):
    """{subject: rank} from {subject: total}: 1 is the highest total, equal
    totals share a rank and the next one skips; a None total has no rank."""
    ordered = sorted(
        (round(total, RANK_DIGITS), pk) for pk, total in totals.items() if total is not None
    )
    ordered.reverse()
    ranks, previous = dict.fromkeys(totals), None
    for position, (total, pk) in enumerate(ordered, start=1):
        if previous is None or total != previous[0]:
            previous = (total, position)
        ranks[pk] = previous[1]
    return ranks


def tie_broken_places(totals, tie_breakers):
    """({subject: place}, {subject: tied}) from {subject: total} and, per
    subject, a tuple of tie-break figures in order (None for a missing one):
    places 1, 2, 3... by total, then each figure, higher first and missing
    last, then by id; tied when another subject has the same total. Subjects
    without a total have neither a place nor a tie."""

    def key(pk):
        figures = tie_breakers.get(pk, ())
        return (
            -round(totals[pk], RANK_DIGITS),
            *((figure is None, -(figure or 0)) for figure in figures),
            pk,
        )

    ranked = sorted((pk for pk, total in totals.items() if total is not None), key=key)
    places = dict.fromkeys(totals)
    places.update({pk: place for place, pk in enumerate(ranked, start=1)})
    counts = {}
    for pk in ranked:
        total = round(totals[pk], RANK_DIGITS)
        counts[total] = counts.get(total, 0) + 1
    tied = {
        pk: total is not None and counts[round(total, RANK_DIGITS)] > 1
        for pk, total in totals.items()
    }
    return places, tied


def check_computable(evaluation):
    """Raise EvaluationError unless ``evaluation`` may be computed now."""
    if evaluation.status == EvaluationStatus.FINALIZED:
        raise EvaluationError(_("The evaluation is finalized: it can no longer be computed."))
    if evaluation.cycle.stage != Stage.EVALUATION:
        raise EvaluationError(
            _(
                "An evaluation is computed in the final evaluation stage; "
                "this cycle is in the %(stage)s stage."
            )
            % {"stage": evaluation.cycle.get_stage_display()}
        )


def evaluation_inputs(cycle, now):
    """The cycle's subjects, the same the steering group judges (three queries)."""
    students = judged_subjects(cycle, AwardSubject.STUDENT)
    return Inputs(
        cycle=cycle,
        now=now,
        students={
            pk: (student, user)
            for pk, student, user in students.values_list("pk", "student", "student__user")
        },
        mentors=dict(judged_subjects(cycle, AwardSubject.MENTOR).values_list("pk", "mentor")),
        groups=list(judged_subjects(cycle, AwardSubject.GROUP).values_list("pk", flat=True)),
    )


def subject_ids(inputs, subject):
    return {
        AwardSubject.STUDENT: inputs.students,
        AwardSubject.MENTOR: inputs.mentors,
        AwardSubject.GROUP: inputs.groups,
    }[subject]


def prepare_computation(*, cycle):
    """The cycle's evaluation, created if need be and marked as computing, for
    ``compute_evaluation_task`` to compute. The same rules hold as for
    ``compute_evaluation``; EvaluationError otherwise."""
    evaluation, _created = Evaluation.objects.get_or_create(cycle=cycle)
    evaluation.cycle = cycle
    check_computable(evaluation)
    Evaluation.objects.filter(pk=evaluation.pk).exclude(status=EvaluationStatus.FINALIZED).update(
        status=EvaluationStatus.COMPUTING, progress_done=0, progress_total=0, error=""
    )
    return evaluation


def computation_not_queued(evaluation):
    """``evaluation``'s computation could not be handed to a worker: its status
    returns to what its rows are, with a note, rather than stay "computing".
    The task is owed all the same (programs.tasks_util) and runs once the
    broker is back."""
    Evaluation.objects.filter(pk=evaluation.pk, status=EvaluationStatus.COMPUTING).update(
        status=EvaluationStatus.COMPUTED if evaluation.computed_at else EvaluationStatus.NEW,
        error=_(
            "The computation could not be started: the background service is unavailable. "
            "It starts by itself once the service is back."
        ),
    )


def compute_evaluation(*, evaluation, by):
    """Compute ``evaluation`` for ``by``: every criterion of the program's
    rubric for every subject of the cycle, their totals and ranks, replacing
    the scores and standings of an earlier computation in one transaction.

    Must hold: the cycle is in the final evaluation stage and the evaluation
    is not finalized (checked again, under a row lock, before writing);
    otherwise EvaluationError. A fixed number of queries whatever the number
    of people. Progress (criteria done, then the write) is saved as it goes,
    outside the transaction, for the admin to show. On failure the earlier
    rows stay, the status returns to what the rows are and the error is kept.
    """
    evaluation = Evaluation.objects.select_related("cycle__program").get(pk=evaluation.pk)
    try:
        check_computable(evaluation)
        now = timezone.now()
        scores, standings = score_rows(evaluation, now)
        _replace(evaluation, scores, standings, by=by, now=now)
    except Exception as error:
        Evaluation.objects.filter(pk=evaluation.pk).exclude(
            status=EvaluationStatus.FINALIZED
        ).update(
            status=EvaluationStatus.COMPUTED if evaluation.computed_at else EvaluationStatus.NEW,
            error=str(error),
        )
        raise
    evaluation.refresh_from_db()
    return evaluation


def _progress(evaluation, done, total):
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.COMPUTING, progress_done=done, progress_total=total
    )


def score_rows(evaluation, now):
    """(scores, standings): rows (tuples in the order of SCORE_FIELDS and
    STANDING_FIELDS) for every criterion and subject."""
    cycle = evaluation.cycle
    criteria = list(RubricCriterion.objects.filter(program=cycle.program_id))
    steps = len(criteria) + 1
    _progress(evaluation, 0, steps)
    inputs = evaluation_inputs(cycle, now)
    judged = judged_figures(
        Judgment.objects.filter(evaluation=evaluation, criterion__measure=Measure.JUDGED)
    )
    computed, scores, standings, done = {}, [], [], 0
    for subject in SUBJECT_ORDER:
        ids = subject_ids(inputs, subject)
        weighted = {pk: [] for pk in ids}
        steering = {pk: [] for pk in ids}
        breaker = dict.fromkeys(ids)
        for criterion in (c for c in criteria if c.subject == subject):
            if criterion.measure == Measure.JUDGED:
                figures = {pk: _judged(judged.get((criterion.pk, pk))) for pk in ids}
            else:
                if criterion.measure not in computed:
                    computed[criterion.measure] = COMPUTED[criterion.measure](inputs)
                figures = computed[criterion.measure]
            for pk in ids:
                raw, value = figures[pk]
                # Floats throughout: a column's array holds values of one type.
                raw = None if raw is None else float(raw)
                value = None if value is None else min(100.0, max(0.0, float(value)))
                weighted[pk].append((criterion.weight, value))
                if criterion.measure == Measure.JUDGED:
                    steering[pk].append((criterion.weight, value))
                if criterion.breaks_ties:
                    breaker[pk] = value
                scores.append(
                    (evaluation.pk, criterion.pk, subject, *subject_keys(subject, pk), raw, value)
                )
            done += 1
            _progress(evaluation, done, steps)
        totals = {pk: weighted_total(pairs) for pk, pairs in weighted.items()}
        ranks = shared_ranks(totals)
        places, tied = tie_broken_places(
            totals, {pk: (weighted_total(steering[pk]), breaker[pk]) for pk in ids}
        )
        if subject == AwardSubject.STUDENT:
            inputs.student_totals = totals
        standings.extend(
            (
                evaluation.pk,
                subject,
                *subject_keys(subject, pk),
                totals[pk],
                ranks[pk],
                places[pk],
                tied[pk],
            )
            for pk in ids
        )
    return scores, standings


def subject_keys(subject, pk):
    return tuple(pk if kind == subject else None for kind in SUBJECT_FIELDS)


def _judged(mean):
    return (mean, mean * JUDGED_SCALE) if mean is not None else (None, None)


def _replace(evaluation, scores, standings, *, by, now):
    with transaction.atomic():
        locked = (
            Evaluation.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=evaluation.pk)
        )
        check_computable(locked)
        Score.objects.filter(evaluation=locked).delete()
        Standing.objects.filter(evaluation=locked).delete()
        insert_rows(Score, SCORE_FIELDS, scores)
        insert_rows(Standing, STANDING_FIELDS, standings)
        # The pages that read these rows next (review, awards, exports) are
        # planned from the tables' statistics; left as they were before the
        # insert (empty, say), one awards query took 25 s at 11,000 students.
        # Inside the transaction: ANALYZE counts its own inserts, and a
        # failure here leaves the earlier rows, as any other failure does.
        analyze([Score, Standing])
        locked.status = EvaluationStatus.COMPUTED
        locked.computed_at, locked.computed_by = now, by
        locked.progress_done = locked.progress_total
        locked.error = ""
        locked.save(
            update_fields=[
                "status",
                "computed_at",
                "computed_by",
                "progress_done",
                "progress_total",
                "error",
            ]
        )
