"""The end-of-cycle survey page of a student or mentor.

Access goes through ``get_survey_participation_for_user`` and the answers
through ``submit_survey``; this view only wires the form to them.
"""

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .forms_survey import SurveyForm
from .models import SurveyResponse
from .permissions_survey import get_survey_participation_for_user
from .survey import (
    LIKERT_CHOICES,
    SurveyError,
    submit_survey,
    survey_open_reason,
    survey_questions,
)


class SurveyView(LoginRequiredMixin, TemplateView):
    """The questions while the survey is open and unanswered; afterwards the
    person's own answers."""

    template_name = "assessments/survey_form.html"

    @cached_property
    def participation(self):
        return get_survey_participation_for_user(
            self.request.user, self.kwargs["cycle_id"], self.kwargs["audience"]
        )

    @cached_property
    def questions(self):
        return survey_questions(self.participation.cycle.program, self.kwargs["audience"])

    @cached_property
    def response(self):
        return (
            SurveyResponse.objects.filter(
                cycle=self.participation.cycle_id,
                respondent=self.request.user,
                audience=self.kwargs["audience"],
            )
            .prefetch_related("answers")
            .first()
        )

    def get_context_data(self, form=None, **kwargs):
        cycle = self.participation.cycle
        reason = survey_open_reason(cycle)
        if form is None and not self.response and not reason and self.questions:
            form = SurveyForm(questions=self.questions)
        return super().get_context_data(
            cycle=cycle,
            form=form,
            closed_reason=reason,
            response=self.response,
            my_answers=self._my_answers(),
            **kwargs,
        )

    def _my_answers(self):
        """(question label, 1-5 value, its label, text) of each answer given."""
        if not self.response:
            return []
        given = {answer.question_id: answer for answer in self.response.answers.all()}
        scale = dict(LIKERT_CHOICES)
        return [
            (q.label, given[q.pk].value, scale.get(given[q.pk].value), given[q.pk].text)
            for q in self.questions
            if q.pk in given
        ]

    def post(self, request, *args, **kwargs):
        if self.response:
            # A second tab or a resent form: the answers stand as they were.
            messages.error(request, _("You have already answered this survey."))
            return redirect(request.path)
        form = SurveyForm(request.POST, questions=self.questions)
        if form.is_valid():
            try:
                submit_survey(
                    cycle=self.participation.cycle,
                    respondent=request.user,
                    audience=self.kwargs["audience"],
                    participation=self.participation,
                    answers=form.answers(),
                )
            except SurveyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Thank you: your answers were recorded."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))
