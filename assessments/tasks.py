"""Celery tasks of assessments. Without Redis (the embedded default) they
run in-process, at the commit of the request that queued them."""

from celery import shared_task
from django.contrib.auth import get_user_model

from .evaluation import EvaluationError, compute_evaluation
from .models import Evaluation


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    # A computation takes seconds even at 11,000 students; the limits end a
    # stuck one so the coordinator can start another.
    soft_time_limit=600,
    time_limit=660,
)
def compute_evaluation_task(evaluation_id, user_id):
    """Compute the evaluation; safe to run twice (each run replaces the rows
    of the one before). Returns the error message when it may not run."""
    evaluation = Evaluation.objects.filter(pk=evaluation_id).first()
    by = get_user_model().objects.filter(pk=user_id).first()
    if evaluation is None or by is None:
        return None
    try:
        compute_evaluation(evaluation=evaluation, by=by)
    except EvaluationError as error:
        # compute_evaluation has recorded the error on the evaluation.
        return str(error)
    return None
