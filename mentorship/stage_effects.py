"""What a stage move changes for people: preferences open and close, and a
closing cycle ends its mentors' contracts and finishes its students'
enrollments, in the move's transaction (programs.stages). Registered here:
programs cannot import this app.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.confirmation import Consequence
from programs.models import Stage
from programs.stages import register_consequences, register_effect

from .models import Engagement, EngagementStatus, Enrollment, EnrollmentStatus


def _ending(cycle):
    engagements = Engagement.objects.filter(cycle=cycle, status=EngagementStatus.ACCEPTED)
    enrollments = Enrollment.objects.filter(cycle=cycle, status=EnrollmentStatus.MATCHED)
    return engagements, enrollments


def _close_consequences(cycle):
    engagements, enrollments = _ending(cycle)
    engaged, enrolled = engagements.count(), enrollments.count()
    yield Consequence(
        ngettext(
            "%(count)s mentor engagement (contract) ends: its status becomes Ended.",
            "%(count)s mentor engagements (contracts) end: their status becomes Ended.",
            engaged,
        )
        % {"count": engaged},
        warning=True,
    )
    yield Consequence(
        ngettext(
            "%(count)s enrollment of a matched student is finished: its status becomes Finished.",
            "%(count)s enrollments of matched students are finished: their status becomes "
            "Finished.",
            enrolled,
        )
        % {"count": enrolled},
        warning=True,
    )
    left = Enrollment.objects.filter(
        cycle=cycle, status__in=[EnrollmentStatus.APPLIED, EnrollmentStatus.WAITLISTED]
    ).count()
    if left:
        yield Consequence(
            ngettext(
                "%(count)s student who was never matched keeps their status.",
                "%(count)s students who were never matched keep their status.",
                left,
            )
            % {"count": left}
        )
    yield Consequence(_("Nothing in the cycle can be changed afterwards; its records stay."))


@register_consequences
def people_consequences(cycle, to_stage):
    if to_stage == Stage.SELECTION:
        students = Enrollment.objects.active().filter(cycle=cycle).count()
        mentors = Engagement.objects.filter(cycle=cycle, status=EngagementStatus.ACCEPTED).count()
        deadline = cycle.preference_deadline
        yield Consequence(
            _(
                "Preferences open until %(deadline)s (students enrolled: %(students)s, "
                "mentors engaged: %(mentors)s); those who have not stated theirs are reminded "
                "by e-mail before the deadline."
            )
            % {
                "students": students,
                "mentors": mentors,
                "deadline": formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")
                if deadline
                else _("the deadline the cycle sets"),
            }
        )
    elif to_stage == Stage.KICK_OFF:
        yield Consequence(_("Preferences can no longer be stated or changed."))
    elif to_stage == Stage.CLOSED:
        yield from _close_consequences(cycle)


@register_effect(Stage.CLOSED)
def end_contracts(*, cycle, by, choices):
    """End the accepted engagements and finish the matched enrollments. The
    stage history records the counts beside who closed the cycle and when."""
    engagements, enrollments = _ending(cycle)
    ended = engagements.update(status=EngagementStatus.ENDED)
    finished = enrollments.update(status=EnrollmentStatus.FINISHED)
    return _("%(ended)s engagements ended, %(finished)s enrollments finished.") % {
        "ended": ended,
        "finished": finished,
    }
