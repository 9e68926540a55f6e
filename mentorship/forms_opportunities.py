from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Opportunity, RecipientStatus
from .opportunities import postable_groups, postable_mentees


class MenteeChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, several_cycles=False, **kwargs):
        self.several_cycles = several_cycles
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        name = obj.student.user.full_name
        return f"{name} · {obj.cycle}" if self.several_cycles else name


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.cycle}"


class OpportunityForm(forms.ModelForm):
    """An opportunity and who gets it: chosen mentees and/or a group the mentor coaches."""

    class Meta:
        model = Opportunity
        fields = ["kind", "organisation", "role", "link", "deadline", "note", "group"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        mentees = list(postable_mentees(user=user))
        self.fields["mentees"] = MenteeChoiceField(
            label=_("My mentees"),
            queryset=postable_mentees(user=user),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            several_cycles=len({e.cycle_id for e in mentees}) > 1,
            error_messages={"invalid_choice": _("Choose only your own mentees.")},
        )
        self.fields["group"] = GroupChoiceField(
            label=_("Or everyone in my group"),
            queryset=postable_groups(user=user),
            required=False,
            error_messages={"invalid_choice": _("Choose a group you coach.")},
        )
        self.order_fields(["kind", "organisation", "role", "link", "deadline", "note", "mentees"])

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline has already passed."))
        return deadline

    def clean(self):
        cleaned = super().clean()
        mentees, group = cleaned.get("mentees"), cleaned.get("group")
        if "mentees" in self.errors or "group" in self.errors:
            return cleaned
        if not mentees and not group:
            raise forms.ValidationError(_("Choose at least one mentee or a group."))
        cycles = {e.cycle_id for e in mentees or ()} | ({group.cycle_id} if group else set())
        if len(cycles) > 1:
            raise forms.ValidationError(
                _("Send an opportunity to students of one cycle at a time.")
            )
        return cleaned


class RecipientStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("My status"),
        choices=RecipientStatus.choices,
        error_messages={"invalid_choice": _("Choose one of the statuses.")},
    )
