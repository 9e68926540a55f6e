from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "optional_nudges"]


class MoveStudentForm(forms.Form):
    """Move one student of a matching preview to another mentor, or out.

    The student is chosen on the page (their row's move link) and posted as a
    hidden id: a list of every student would make the page megabytes at full
    scale. The move service checks that they take part in the run."""

    student = forms.IntegerField(widget=forms.HiddenInput)
    mentor = forms.TypedChoiceField(
        label=_("New mentor"), coerce=int, empty_value=None, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, mentors=(), mentor_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if mentor_label:
            self.fields["mentor"].label = mentor_label
        self.fields["mentor"].choices = [("", _("Leave unmatched"))] + [
            (side.pk, str(side)) for side in mentors
        ]
