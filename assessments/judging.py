"""The steering group's judgments: each steering member scores the cycle's
students, mentors and groups 1-10 on the program's judged criteria.

Judges work alone: before the evaluation is finalized a judge reads and
writes only their own rows. Judging is open while the cycle is in the final
evaluation stage and the evaluation is not finalized; the evaluation turns
the judgments into the judged criteria's scores.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.models import Group, StaffRole, StaffRoleKind
from programs.evaluation_rules import Measure
from programs.models import AwardSubject, Cycle, RubricCriterion, Stage

from .models import Evaluation, EvaluationStatus, Judgment
from .models.subjects import SUBJECT_FIELDS
from .survey_stats import surveyed_engagements, surveyed_enrollments

SCORE_MIN, SCORE_MAX = 1, 10


class JudgingError(Exception):
    """The judgments cannot be saved; the message says why, in the user's language."""


@dataclass(frozen=True)
class JudgmentRow:
    """What a judge typed for one subject on one criterion. ``subject_id`` is
    the enrollment, engagement or group id, as the criterion's subject says;
    an empty ``score`` withdraws the judge's own judgment."""

    criterion: RubricCriterion
    subject_id: int
    score: int | None
    comment: str = ""


@dataclass(frozen=True)
class Progress:
    scored: int
    to_score: int

    @property
    def remaining(self):
        return self.to_score - self.scored


def judged_criteria(program):
    """The program's criteria scored by the steering group, in rubric order."""
    return RubricCriterion.objects.filter(program=program, measure=Measure.JUDGED).order_by(
        "position", "pk"
    )


def judged_subjects(cycle, subject):
    """Who is judged in ``cycle`` on a ``subject`` criterion: matched students,
    mentors who took part (as the survey asks them), the cycle's groups."""
    if subject == AwardSubject.STUDENT:
        return surveyed_enrollments(cycle)
    if subject == AwardSubject.MENTOR:
        return surveyed_engagements(cycle)
    return Group.objects.filter(cycle=cycle)


def steered_program_ids(user):
    """Ids of the programs ``user`` holds a steering role in. A superuser or a
    coordinator does not judge: only the steering group's scores count."""
    roles = StaffRole.objects.filter(user=user, role=StaffRoleKind.STEERING)
    return set(roles.values_list("program_id", flat=True))


def is_judge(user, program):
    """Whether ``user`` is a steering member of ``program``."""
    return program.pk in steered_program_ids(user)


def evaluation_of(cycle):
    """The cycle's evaluation, or an unsaved one (status new) when there is none yet."""
    evaluation = Evaluation.objects.filter(cycle=cycle).first() or Evaluation(cycle=cycle)
    evaluation.cycle = cycle
    return evaluation


def closed_reason(cycle, evaluation):
    """Why judging is closed in ``cycle`` now, or None while it is open."""
    if evaluation.status == EvaluationStatus.FINALIZED:
        return _("The evaluation is finalized: judgments can no longer change.")
    if cycle.stage != Stage.EVALUATION:
        return _("Judging is open only while the cycle is in the final evaluation stage.")
    return None


def _check_rows(cycle, rows):
    for row in rows:
        criterion = row.criterion
        if criterion.program_id != cycle.program_id or criterion.measure != Measure.JUDGED:
            raise JudgingError(
                _("“%(criterion)s” is not judged in this program.") % {"criterion": criterion}
            )
        if row.score is None and row.comment.strip():
            raise JudgingError(_("Give a score with your comment."))
        if row.score is not None and not SCORE_MIN <= row.score <= SCORE_MAX:
            raise JudgingError(_("A score runs from 1 to 10."))
    for subject in AwardSubject.values:
        ids = {row.subject_id for row in rows if row.criterion.subject == subject}
        found = judged_subjects(cycle, subject).filter(pk__in=ids).count() if ids else 0
        if found != len(ids):
            raise JudgingError(_("Someone scored is not judged in this cycle."))


def save_judgments(*, evaluation, judge, rows):
    """Save ``judge``'s own ``rows`` (JudgmentRow) in ``evaluation``, which may
    be unsaved: the cycle's evaluation is then created (status new).

    Must hold, else JudgingError and nothing is saved: ``judge`` is a
    steering member of the cycle's program; the cycle is in the final
    evaluation stage; the evaluation is not finalized; each criterion is a
    judged criterion of the program; each subject is judged in the cycle; a
    score runs from 1 to 10 and a comment comes with a score. Other judges'
    rows are never touched. Returns (saved, withdrawn) counts.
    """
    with transaction.atomic():
        # Locking the cycle and the evaluation orders this save against a
        # stage move or a finalization running at the same moment.
        cycle = Cycle.objects.select_for_update().get(pk=evaluation.cycle_id)
        evaluation, _created = Evaluation.objects.select_for_update().get_or_create(cycle=cycle)
        if not is_judge(judge, cycle.program):
            raise JudgingError(_("Only the program's steering members judge."))
        reason = closed_reason(cycle, evaluation)
        if reason:
            raise JudgingError(reason)
        _check_rows(cycle, rows)
        # The same pair typed twice: the last one counts.
        rows = list({(row.criterion.pk, row.subject_id): row for row in rows}.values())
        return _write(evaluation, judge, rows)


def _write(evaluation, judge, rows):
    wanted = Q(pk__in=[])
    for row in rows:
        field = SUBJECT_FIELDS[row.criterion.subject]
        wanted |= Q(criterion=row.criterion, **{field: row.subject_id})
    mine = {
        (j.criterion_id, j.subject_id): j
        for j in Judgment.objects.filter(wanted, evaluation=evaluation, judge=judge)
    }
    now = timezone.now()
    new, changed, withdrawn = [], [], []
    for row in rows:
        subject = row.criterion.subject
        existing = mine.get((row.criterion.pk, row.subject_id))
        if row.score is None:
            if existing:
                withdrawn.append(existing.pk)
        elif existing:
            existing.score, existing.comment, existing.updated_at = row.score, row.comment, now
            changed.append(existing)
        else:
            new.append(
                Judgment(
                    evaluation=evaluation,
                    criterion=row.criterion,
                    judge=judge,
                    subject=subject,
                    score=row.score,
                    comment=row.comment,
                    **{SUBJECT_FIELDS[subject] + "_id": row.subject_id},
                )
            )
    Judgment.objects.bulk_create(new)
    Judgment.objects.bulk_update(changed, ["score", "comment", "updated_at"])
    Judgment.objects.filter(pk__in=withdrawn).delete()
    return len(new) + len(changed), len(withdrawn)


def judging_progress(evaluation, judge):
    """How much of the cycle ``judge`` has scored: judgments given on the
    program's judged criteria to people and groups still judged, out of all
    there are to give. ``evaluation`` may be unsaved. A few queries per call."""
    cycle = evaluation.cycle
    criteria = list(judged_criteria(cycle.program))
    kinds = {criterion.subject for criterion in criteria}
    subjects = {kind: judged_subjects(cycle, kind) for kind in kinds}
    to_score = sum(
        sum(1 for c in criteria if c.subject == kind) * subjects[kind].count() for kind in kinds
    )
    if evaluation.pk is None or not criteria:
        return Progress(0, to_score)
    current = Q(pk__in=[])
    for kind, queryset in subjects.items():
        current |= Q(subject=kind, **{f"{SUBJECT_FIELDS[kind]}__in": queryset.values("pk")})
    scored = Judgment.objects.filter(
        current, evaluation=evaluation, judge=judge, criterion__in=[c.pk for c in criteria]
    ).count()
    return Progress(scored, to_score)
