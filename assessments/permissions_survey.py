"""Who may open a cycle's satisfaction survey.

Only the people it asks: a matched student of the cycle, or a mentor who
accepted (or ended) an engagement in it. Another student or mentor gets 404,
so the survey of a cycle they are not in stays unseen; a person who is neither
a student nor a mentor (the program's staff) gets 403. The views require a
sign-in first.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mentorship.roles import MENTOR, STUDENT, user_roles
from programs.evaluation_rules import Audience

from .survey import SURVEYED, surveyed_participations


def get_survey_participation_for_user(user, cycle_id, audience):
    """``user``'s enrollment (audience "student") or engagement ("mentor") that
    cycle ``cycle_id``'s survey asks, with its cycle and program."""
    if not user_roles(user) & {STUDENT, MENTOR}:
        raise PermissionDenied
    if audience not in Audience.values:
        raise Http404
    _surveyed, user_path, _model = SURVEYED[audience]
    participation = (
        surveyed_participations(cycle_id, audience)
        .filter(**{user_path: user})
        .select_related("cycle__program")
        .first()
    )
    if participation is None:
        raise Http404
    return participation
