from django import forms
from django.utils.translation import gettext_lazy as _

from programs.evaluation_rules import QuestionKind

from .survey import LIKERT_CHOICES, TEXT_MAX_LENGTH


class SurveyForm(forms.Form):
    """One field per question: agreement 1-5 as radio buttons, free text as an
    optional text area. Labels come in the reader's language
    (``SurveyQuestion.label``)."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == QuestionKind.LIKERT:
                field = forms.TypedChoiceField(
                    label=question.label,
                    choices=LIKERT_CHOICES,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Choose an answer from 1 to 5."),
                        "invalid_choice": _("Choose an answer from 1 to 5."),
                    },
                )
            else:
                field = forms.CharField(
                    label=question.label,
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            field.question = question
            self.fields[f"q{question.pk}"] = field

    def answers(self):
        """What ``submit_survey`` takes: question id -> value or text."""
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}
