"""Guards on cycle stage moves that need people data."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.models import ProgramKind, Stage
from programs.stages import register_guard

from .models import (
    Engagement,
    Enrollment,
    GroupMembership,
    Match,
    MatchingLevel,
    MatchingRun,
    RunStatus,
)


@register_guard(Stage.KICK_OFF)
def needs_mentors_and_students(cycle):
    reasons = []
    if not Engagement.objects.filter(cycle=cycle, status="accepted").exists():
        reasons.append(_("No mentor has accepted an engagement in this cycle yet."))
    if not Enrollment.objects.filter(cycle=cycle).exclude(status="withdrawn").exists():
        reasons.append(_("No student is enrolled in this cycle yet."))
    return " ".join(reasons) or None


@register_guard(Stage.KICK_OFF)
def needs_committed_matching(cycle):
    """Kick-off introduces students to their mentors or groups: they must have them.

    Mentor programs match students to mentors, so a committed mentor-level run
    is needed, and published, since students learn their mentor from it.
    Coaching programs place students in groups, by a committed group-level
    run (published, for the same reason) or by hand.
    """
    runs = MatchingRun.objects.filter(cycle=cycle, status=RunStatus.COMMITTED)
    if cycle.program.kind == ProgramKind.COACHING:
        students = GroupMembership.objects.filter(group__cycle=cycle, student__isnull=False)
        if not (runs.filter(level=MatchingLevel.GROUP).exists() or students.exists()):
            return _(
                "No student is in a coaching group yet: commit the group matching or add "
                "students to the cycle's groups first."
            )
        unpublished = students.filter(published_at__isnull=True).count()
        if unpublished:
            return ngettext(
                "%(count)s group placement is not published yet: publish it on the group "
                "matching page first.",
                "%(count)s group placements are not published yet: publish them on the group "
                "matching page first.",
                unpublished,
            ) % {"count": unpublished}
        return None
    if not runs.filter(level=MatchingLevel.MENTOR).exists():
        return _("The matching of students to mentors has not been committed yet.")
    unpublished = Match.objects.filter(engagement__cycle=cycle, published_at__isnull=True).count()
    if unpublished:
        return ngettext(
            "%(count)s match is not published yet: publish it on the matching page first.",
            "%(count)s matches are not published yet: publish them on the matching page first.",
            unpublished,
        ) % {"count": unpublished}
    return None
