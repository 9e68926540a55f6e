"""Survey reminders (mentorship.reminders): ``DAYS_OPEN`` days after a cycle
entered its final evaluation, everyone its survey asks who has not answered
yet is nudged, once. The day counts from the stage change, which stays put
while the cycle is in evaluation, so the ledger's due date never moves."""

from datetime import timedelta

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from mentorship.reminders import Due
from programs.evaluation_rules import Audience
from programs.models import Stage

from .models import SurveyResponse
from .survey import SURVEYED, surveyed_in_their_cycle

KIND = "survey_open"
TITLE = gettext_noop("Tell us how the year went")
DAYS_OPEN = 3  # the same for every program: one nudge, early enough to matter


def survey_reminders(now):
    """The survey nudges due at ``now``. Two queries, one per audience."""
    for audience in Audience:
        _surveyed, user_path, model = SURVEYED[audience]
        answered = SurveyResponse.objects.filter(
            cycle=OuterRef("cycle"), audience=audience, respondent=OuterRef(user_path)
        )
        waiting = (
            surveyed_in_their_cycle(
                model.objects.filter(
                    cycle__stage=Stage.EVALUATION,
                    cycle__stage_changed_at__lte=now - timedelta(days=DAYS_OPEN),
                ),
                audience,
            )
            .exclude(Exists(answered))
            .annotate(recipient=F(user_path))
            .select_related("cycle__program")
            .order_by("pk")
        )
        for participation in waiting:
            cycle = participation.cycle
            yield Due(
                recipient_id=participation.recipient,
                kind=KIND,
                subject_key=f"assessments.survey:{cycle.pk}:{audience.value}",
                due_on=timezone.localdate(cycle.stage_changed_at + timedelta(days=DAYS_OPEN)),
                offset_days=0,
                payload={
                    "title": TITLE,
                    "context": str(cycle),
                    "url": reverse("survey", args=[cycle.pk, audience.value]),
                    "show_when": False,
                },
            )
