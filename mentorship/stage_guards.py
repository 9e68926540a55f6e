"""Guards on cycle stage moves that need people data."""

from django.utils.translation import gettext as _

from programs.models import Stage
from programs.stages import register_guard

from .models import Engagement, Enrollment


@register_guard(Stage.KICK_OFF)
def needs_mentors_and_students(cycle):
    reasons = []
    if not Engagement.objects.filter(cycle=cycle, status="accepted").exists():
        reasons.append(_("No mentor has accepted an engagement in this cycle yet."))
    if not Enrollment.objects.filter(cycle=cycle).exclude(status="withdrawn").exists():
        reasons.append(_("No student is enrolled in this cycle yet."))
    return " ".join(reasons) or None
