"""The end-of-cycle satisfaction survey: when it is open, what it asks whom,
and how an answer is recorded.

The survey runs while the cycle is in its final evaluation stage. It is closed
before (the year is not over) and from reward on: the figures are reported
beside the awards, so they stop moving once the cycle leaves evaluation.
Answers are final once submitted, like a review: the satisfaction rate must
not change under the steering group's eyes.
"""

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.models import Engagement, Enrollment
from programs.evaluation_rules import Audience, QuestionKind
from programs.models import STAGE_ORDER, Stage, SurveyQuestion

from .models import SurveyAnswer, SurveyResponse
from .survey_stats import surveyed_engagements, surveyed_enrollments

# value -> label of the 1-5 agreement scale
LIKERT_CHOICES = [
    (1, gettext_lazy("Strongly disagree")),
    (2, gettext_lazy("Disagree")),
    (3, gettext_lazy("Neither agree nor disagree")),
    (4, gettext_lazy("Agree")),
    (5, gettext_lazy("Strongly agree")),
]
TEXT_MAX_LENGTH = 4000

# audience -> (the people it asks in a cycle, the path from them to their user, model)
SURVEYED = {
    Audience.STUDENT: (surveyed_enrollments, "student__user", Enrollment),
    Audience.MENTOR: (surveyed_engagements, "mentor__user", Engagement),
}


class SurveyError(Exception):
    """A survey answer that cannot be recorded; the message says why."""


def survey_open_reason(cycle):
    """Why the survey of ``cycle`` takes no answers now, or None while it is open."""
    if cycle.stage == Stage.EVALUATION:
        return None
    if STAGE_ORDER.index(cycle.stage) < STAGE_ORDER.index(Stage.EVALUATION):
        return _("The survey opens when the cycle reaches its final evaluation.")
    return _("The survey has closed.")


def survey_questions(program, audience):
    """The questions ``program`` asks of ``audience``, in order. One query."""
    return list(SurveyQuestion.objects.filter(program=program, audience=audience))


def surveyed_participations(cycle, audience):
    """The enrollments or engagements ``audience``'s survey of ``cycle`` asks."""
    return SURVEYED[audience][0](cycle)


def surveyed_in_their_cycle(participations, audience):
    """``participations`` (enrollments or engagements of ``audience``) limited
    to those their own cycle's survey asks: the rule of survey_stats for
    many cycles at once, as a subquery."""
    asked = surveyed_participations(OuterRef("cycle"), audience).filter(pk=OuterRef("pk"))
    return participations.filter(Exists(asked))


def submit_survey(*, cycle, respondent, audience, participation, answers):
    """Record ``respondent``'s answers to ``cycle``'s survey as ``audience``.

    ``participation`` is their enrollment (students) or engagement (mentors)
    in ``cycle``; ``answers`` maps question ids of the program's questions for
    ``audience`` to a 1-5 value (agreement questions) or a text (free-text
    questions).

    What must hold, else SurveyError with the reason and nothing saved:
    the survey is open (``survey_open_reason``); ``participation`` is
    ``respondent``'s and is asked in ``cycle`` (a matched student, or a mentor
    who accepted or ended their engagement); every agreement question is
    answered 1-5, free text is optional and no other question is answered;
    they have not answered before (the once-per-person-cycle-audience
    constraint backs this against a double submit). The response and its
    answers are written in one transaction and are final.
    """
    reason = survey_open_reason(cycle)
    if reason:
        raise SurveyError(reason)
    audience = Audience(audience)
    surveyed, user_path, model = SURVEYED[audience]
    if not (
        isinstance(participation, model)
        and surveyed(cycle).filter(pk=participation.pk, **{user_path: respondent}).exists()
    ):
        raise SurveyError(_("You are not asked in this survey."))
    questions = survey_questions(cycle.program, audience)
    if not questions:
        raise SurveyError(_("This survey has no questions for you."))
    rows = _answer_rows(questions, answers)
    if SurveyResponse.objects.filter(
        cycle=cycle, respondent=respondent, audience=audience
    ).exists():
        raise SurveyError(_("You have already answered this survey."))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                cycle=cycle,
                respondent=respondent,
                audience=audience,
                enrollment=participation if audience == Audience.STUDENT else None,
                engagement=participation if audience == Audience.MENTOR else None,
                submitted_at=timezone.now(),
            )
            for row in rows:
                row.response = response
            SurveyAnswer.objects.bulk_create(rows)
    except IntegrityError as error:
        # Another request of the same person got there first.
        raise SurveyError(_("You have already answered this survey.")) from error
    return response


def _answer_rows(questions, answers):
    """Unsaved SurveyAnswer rows for ``answers``, checked against ``questions``."""
    by_id = {question.pk: question for question in questions}
    if set(answers) - set(by_id):
        raise SurveyError(_("Answer only the questions of this survey."))
    rows = []
    for question in questions:
        given = answers.get(question.pk)
        if question.kind == QuestionKind.LIKERT:
            if type(given) is not int or not 1 <= given <= 5:
                raise SurveyError(_("Answer every question from 1 to 5."))
            rows.append(SurveyAnswer(question=question, value=given))
            continue
        if given is not None and not isinstance(given, str):
            raise SurveyError(_("Write your answer as text."))
        text = (given or "").strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise SurveyError(
                _("Write at most %(count)s characters in each answer.") % {"count": TEXT_MAX_LENGTH}
            )
        if text:
            rows.append(SurveyAnswer(question=question, text=text))
    return rows
