"""What a stage move changes for meetings and activities, for the
confirmation page (programs.stages): when meetings can be logged and
answered, and which reminders start or stop. Registered from
SessionsAppConfig.ready(): programs cannot import this app."""

from django.utils import timezone
from django.utils.translation import ngettext

from mentorship.publishing import published_matches
from programs.confirmation import Consequence
from programs.models import ProgramKind, Stage
from programs.stages import register_consequences

from .meetings import ANSWER_STAGES, LOGGING_STAGES
from .models import Activity, MeetingParticipant, ParticipantStatus


def _pairs(cycle):
    if cycle.program.kind == ProgramKind.COACHING:
        return 0  # gap reminders are for mentor programs' pairs
    return published_matches().filter(engagement__cycle=cycle).count()


def _unanswered(cycle):
    return MeetingParticipant.objects.filter(
        meeting__cycle=cycle, status=ParticipantStatus.PENDING
    ).count()


@register_consequences
def meeting_and_activity_consequences(cycle, to_stage):
    logging_before = cycle.stage in LOGGING_STAGES
    if to_stage in LOGGING_STAGES and not logging_before:
        pairs = _pairs(cycle)
        yield Consequence(
            ngettext(
                "Mentors can log meetings from now on; reminders about long gaps between "
                "confirmed meetings start for %(count)s published pair.",
                "Mentors can log meetings from now on; reminders about long gaps between "
                "confirmed meetings start for %(count)s published pairs.",
                pairs,
            )
            % {"count": pairs}
        )
    elif logging_before and to_stage not in LOGGING_STAGES:
        pairs = _pairs(cycle)
        yield Consequence(
            ngettext(
                "Mentors can no longer log or change meetings; reminders about long gaps "
                "between confirmed meetings stop for %(count)s published pair.",
                "Mentors can no longer log or change meetings; reminders about long gaps "
                "between confirmed meetings stop for %(count)s published pairs.",
                pairs,
            )
            % {"count": pairs},
            warning=True,
        )
    if cycle.stage in ANSWER_STAGES and to_stage not in ANSWER_STAGES:
        pending = _unanswered(cycle)
        if pending:
            yield Consequence(
                ngettext(
                    "%(count)s meeting answer is still pending: it can no longer be confirmed "
                    "or disputed, and does not count.",
                    "%(count)s meeting answers are still pending: they can no longer be "
                    "confirmed or disputed, and do not count.",
                    pending,
                )
                % {"count": pending},
                warning=True,
            )
    if to_stage == Stage.CLOSED:
        upcoming = Activity.objects.filter(cycle=cycle, starts_at__gt=timezone.now()).count()
        if upcoming:
            yield Consequence(
                ngettext(
                    "%(count)s activity has not started yet: its reminders stop.",
                    "%(count)s activities have not started yet: their reminders stop.",
                    upcoming,
                )
                % {"count": upcoming},
                warning=True,
            )
