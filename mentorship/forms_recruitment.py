"""Forms of mentor recruitment: the contract answer, the mentor's profile and
the admin's invitation by e-mail."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EngagementStatus, MentorProfile, User


class ContractAnswerForm(forms.Form):
    """Accept with a capacity, or decline: the button pressed says which."""

    capacity = forms.IntegerField(label=_("Students you will take"), required=False)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.low, self.high = program.mentor_capacity_min, program.mentor_capacity_max
        field = self.fields["capacity"]
        field.widget.attrs.update(min=self.low, max=self.high)
        field.help_text = _("From %(low)s to %(high)s students.") % {
            "low": self.low,
            "high": self.high,
        }

    @property
    def accepting(self):
        return "decline" not in self.data

    def clean(self):
        cleaned = super().clean()
        capacity = cleaned.get("capacity")
        if not self.accepting or self.has_error("capacity"):
            return cleaned
        if capacity is None:
            self.add_error("capacity", _("Say how many students you will take."))
        elif not self.low <= capacity <= self.high:
            self.add_error(
                "capacity",
                _("Choose a capacity from %(low)s to %(high)s students.")
                % {"low": self.low, "high": self.high},
            )
        return cleaned


class PersonForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone"]


class MentorProfileForm(forms.ModelForm):
    class Meta:
        model = MentorProfile
        fields = [
            "kind",
            "alumni_degree",
            "organisation",
            "title",
            "industry",
            "discipline",
            "languages",
            "bio",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 8})}

    def clean(self):
        cleaned = super().clean()
        # Said on the field, not as the database constraint's general message.
        kind, degree = cleaned.get("kind"), cleaned.get("alumni_degree")
        if kind == "alumnus" and not degree:
            self.add_error("alumni_degree", _("An alumnus needs a degree."))
        elif kind and kind != "alumnus" and degree:
            self.add_error("alumni_degree", _("Only alumni have an alumni degree."))
        return cleaned


class InviteNewMentorForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))


class RecruitmentFilterForm(forms.Form):
    """The recruitment page's search and status filter, read from the query string."""

    NOT_INVITED = "none"

    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("State in this cycle"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("Any")),
            (self.NOT_INVITED, _("Not invited")),
            *EngagementStatus.choices,
        ]
