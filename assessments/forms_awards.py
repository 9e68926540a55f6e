"""The steering group's forms on the awards page: a decision on one
candidate, and a candidate added by hand to one category."""

import copy
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.http import parse_id

from .models import AwardDecision
from .models.evaluation import OVERRIDE_NEEDS_REASON

DECISIONS_FORM = "award-decisions"  # the id of the page's one form of decisions
_ROW_FIELD = re.compile(r"award-([0-9]+)-(?:decision|reason|citation)")


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
    """One candidate's row of the page's decisions form (DECISIONS_FORM: its
    fields sit in the table, the form element below it). A row left as it
    was is not saved again; a changed row needs a decision."""

    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (AwardDecision.CONFIRMED, _("Confirm")),
            (AwardDecision.DECLINED, _("Decline")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    field_order = ["decision"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["form"] = DECISIONS_FORM

    @classmethod
    def for_award(cls, award, data=None):
        initial = {"reason": award.reason, "citation": award.citation}
        if award.decision != AwardDecision.PENDING:
            initial["decision"] = award.decision
        form = cls(data, prefix=f"award-{award.pk}", initial=initial)
        form.award = award
        return form

    def clean(self):
        cleaned = super().clean()
        if not self.has_changed() or self.errors:
            return cleaned
        if not cleaned.get("decision"):
            self.add_error("decision", _("Confirm or decline the candidate."))
            return cleaned
        # The award's own rule (a reason to depart from the proposal), checked
        # on every row before any is saved, so the page marks them all at once;
        # in Python (Award.lacks_reason), not a query a row.
        award = copy.copy(self.award)
        award.decision, award.reason = cleaned["decision"], cleaned["reason"].strip()
        if award.lacks_reason():
            self.add_error("reason", OVERRIDE_NEEDS_REASON)
        return cleaned

    def values(self):
        return {name: self.cleaned_data[name] for name in ("decision", "reason", "citation")}


def posted_award_ids(data):
    """The candidates whose rows a posted decisions form carries (one page of
    them), read from its field names."""
    found = (_ROW_FIELD.fullmatch(name) for name in data)
    return {pk for match in found if match and (pk := parse_id(match[1])) is not None}


class PageDecisions:
    """The decisions form of one page of the awards page: a DecisionForm per
    candidate of ``awards`` (those of the page, not yet published), bound to
    ``data`` when posted.
    ``published`` awards have no row; ``late`` lists those the post still
    changed (published since the page was shown), so nobody's change to them
    vanishes without a word."""

    def __init__(self, awards, data=None, *, published=()):
        self.rows = [(award, DecisionForm.for_award(award, data)) for award in awards]
        self.forms = {award.pk: form for award, form in self.rows}
        self.late = [
            award
            for award in published
            if data is not None
            and any(f"award-{award.pk}-{name}" in data for name in DecisionForm.base_fields)
            and DecisionForm.for_award(award, data).has_changed()
        ]

    def is_valid(self):
        return not self.wrong()

    def wrong(self):
        """The rows with an error (every row is validated)."""
        return [form for form in self.forms.values() if not form.is_valid()]

    def changed(self):
        """[(award, values)] of the rows changed, for awards.decide_awards."""
        return [(award, form.values()) for award, form in self.rows if form.has_changed()]

    def refused(self, error):
        """Mark ``error`` (an AwardError from decide_awards) on its row; False
        when it names no row of the page."""
        form = self.forms.get(getattr(error.award, "pk", None))
        if form is None:
            return False
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return True


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
