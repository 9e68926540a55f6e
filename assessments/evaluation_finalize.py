"""Finalizing a cycle's evaluation: its scores, standings and judgments are
frozen for good, and the cycle may move on to the reward stage.

Every write path checks the status: compute_evaluation and save_judgments
refuse a finalized evaluation under the same row lock this module takes, the
plain admin changes none of these rows, and Judgment, Score and Standing
refuse ``save()`` and ``delete()`` once their evaluation is final.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.evaluation_rules import Measure
from programs.models import Cycle, Program, Stage

from .evaluation import EvaluationError, judged_figures, same_figure
from .models import Evaluation, EvaluationStatus, Judgment, Score
from .models.subjects import SUBJECT_FIELDS


def may_finalize(user, program):
    """Coordinators of ``program`` finalize (and superusers, as everywhere in
    the admin); steering members judge, and do not."""
    return Program.objects.coordinated_by(user).filter(pk=program.pk).exists()


def finalize_refusal(evaluation, cycle):
    """Why ``evaluation`` (None when there is none yet) of ``cycle`` cannot
    be finalized now, or None. Three queries at most."""
    if evaluation is None or evaluation.status == EvaluationStatus.NEW:
        return _("Compute the evaluation before finalizing it.")
    if evaluation.status == EvaluationStatus.FINALIZED:
        return _("The evaluation is already finalized.")
    if evaluation.status == EvaluationStatus.COMPUTING:
        return _("A computation is running: finalize once it is done.")
    if cycle.stage != Stage.EVALUATION:
        return _("An evaluation is finalized in the final evaluation stage.")
    if _judgments_changed(evaluation):
        return _("Re-compute first: judgments changed since the last computation.")
    return None


def _judgments_changed(evaluation):
    """Whether a judgment was saved after the last computation, or the judged
    figures no longer match the scores (a judgment was withdrawn since)."""
    judgments = Judgment.objects.filter(evaluation=evaluation)
    if judgments.filter(updated_at__gt=evaluation.computed_at).exists():
        return True
    figures = judged_figures(judgments.filter(criterion__measure=Measure.JUDGED))
    scores = Score.objects.filter(evaluation=evaluation, criterion__measure=Measure.JUDGED)
    for row in scores.values("criterion", "subject", "raw", *SUBJECT_FIELDS.values()):
        figure = figures.get((row["criterion"], row[SUBJECT_FIELDS[row["subject"]]]))
        if not same_figure(figure, row["raw"]):
            return True
    return False


def finalize_evaluation(*, evaluation, by):
    """Finalize ``evaluation`` for ``by``: from now on nothing in it changes.
    Irreversible.

    Must hold, else EvaluationError and nothing changes: ``by`` is a
    coordinator of the cycle's program (a steering member is not enough);
    the cycle is in the final evaluation stage; the evaluation is computed,
    not computing and not finalized; no judgment was saved or withdrawn
    after the last computation (the frozen totals would leave it out:
    re-compute first). Checked under locks on the cycle and the evaluation,
    taken in the order save_judgments takes them, so a judgment saved, a
    computation written or a stage move at the same moment runs wholly
    before or after.
    """
    with transaction.atomic():
        cycle = (
            Cycle.objects.select_for_update().select_related("program").get(pk=evaluation.cycle_id)
        )
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if not may_finalize(by, cycle.program):
            raise EvaluationError(_("Only the program's coordinators finalize its evaluation."))
        reason = finalize_refusal(evaluation, cycle)
        if reason:
            raise EvaluationError(reason)
        evaluation.status = EvaluationStatus.FINALIZED
        evaluation.finalized_at, evaluation.finalized_by = timezone.now(), by
        evaluation.save(update_fields=["status", "finalized_at", "finalized_by"])
    return evaluation
