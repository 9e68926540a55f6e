"""The survey on the student and mentor homes (mentorship.home_sections):
while a cycle they are asked in is in its final evaluation, "Tell us how the
year went" until they answer, then a thank-you."""

from django.db.models import Exists, OuterRef, Value

from programs.evaluation_rules import Audience
from programs.models import Stage

from .models import SurveyResponse
from .survey import SURVEYED, surveyed_in_their_cycle


def _open_surveys(user, audience):
    """``user``'s participations asked by a survey open now, each with
    ``answered`` and ``audience``. One query."""
    _surveyed, user_path, model = SURVEYED[audience]
    mine = model.objects.filter(**{user_path: user}, cycle__stage=Stage.EVALUATION)
    answered = SurveyResponse.objects.filter(
        cycle=OuterRef("cycle"), respondent=user, audience=audience
    )
    return list(
        surveyed_in_their_cycle(mine, audience)
        .annotate(answered=Exists(answered), audience=Value(audience.value))
        .select_related("cycle__program")
        .order_by("cycle__starts_on", "pk")
    )


def student_surveys(user):
    return _open_surveys(user, Audience.STUDENT)


def mentor_surveys(user):
    return _open_surveys(user, Audience.MENTOR)
