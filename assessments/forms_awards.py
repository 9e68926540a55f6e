"""The steering group's forms on the awards page: a decision on one
candidate, and a candidate added by hand to one category."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AwardDecision


class _ReasonedForm(forms.Form):
    """The reason and citation both forms record with a decision."""

    reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
        help_text=_("Needed to decline a proposed candidate."),
    )
    citation = forms.CharField(
        label=_("citation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text=_("Printed on the certificate."),
    )


class DecisionForm(_ReasonedForm):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (AwardDecision.CONFIRMED, _("Confirm")),
            (AwardDecision.DECLINED, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    field_order = ["decision"]

    @classmethod
    def for_award(cls, award, data=None):
        initial = {"reason": award.reason, "citation": award.citation}
        if award.decision != AwardDecision.PENDING:
            initial["decision"] = award.decision
        return cls(data, prefix=f"award-{award.pk}", initial=initial)


class AddAwardForm(_ReasonedForm):
    subject = forms.TypedChoiceField(label=_("recipient"), coerce=int)
    field_order = ["subject"]

    def __init__(self, data=None, *, category, choices):
        super().__init__(data, prefix=f"add-{category.pk}")
        self.category = category
        self.fields["subject"].choices = [("", "---------"), *choices]
        self.fields["reason"].help_text = _(
            "Why the steering group adds someone the ranking did not propose."
        )
