"""Guards on cycle stage moves that need the evaluation."""

from django.utils.translation import gettext as _

from programs.models import Stage
from programs.stages import register_guard

from .models import Evaluation, EvaluationStatus


@register_guard(Stage.REWARD)
def needs_a_final_evaluation(cycle):
    """Awards are proposed from the frozen standings: they must be final."""
    if not Evaluation.objects.filter(cycle=cycle, status=EvaluationStatus.FINALIZED).exists():
        return _("The evaluation is not finalized yet: finalize it on the evaluation page first.")
    return None
