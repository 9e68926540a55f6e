from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "optional_nudges"]


class MoveStudentForm(forms.Form):
    """Move one student of a matching preview to another mentor, or out."""

    student = forms.TypedChoiceField(label=_("Student"), coerce=int)
    mentor = forms.TypedChoiceField(
        label=_("New mentor"), coerce=int, empty_value=None, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, students=(), mentors=(), mentor_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if mentor_label:
            self.fields["mentor"].label = mentor_label
        self.fields["student"].choices = [("", "---------")] + [
            (enrollment.pk, str(enrollment.student)) for enrollment in students
        ]
        self.fields["mentor"].choices = [("", _("Leave unmatched"))] + [
            (side.pk, str(side)) for side in mentors
        ]
