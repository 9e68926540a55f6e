"""One confirmation step for every action that cannot be undone or that mails
people (stage moves, finalizing, committing, publishing, closing, giving up a
place): the page lists what will change, with counts, and asks.

A view builds a :class:`Confirmation` afresh on every request, GET and POST
alike, so the final POST re-checks the refusals instead of trusting the page
the user saw; the service it then calls checks again under its locks.
:func:`confirm` answers the page, or runs ``perform`` once the POST confirms.
"""

from dataclasses import dataclass, field

from django import forms
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

ACKNOWLEDGE = "acknowledge"
CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Option:
    """A choice the person must make before going ahead (radio buttons, no default)."""

    name: str
    label: str
    choices: tuple  # ((value, label), ...)


@dataclass(frozen=True)
class Consequence:
    """One thing that will change: a sentence with its counts filled in, up to a
    few names as examples, and an option when the change can be steered."""

    text: str
    names: tuple = ()
    warning: bool = False
    option: Option | None = None


@dataclass
class Confirmation:
    title: str
    consequences: list
    submit_label: str
    back_url: str
    refusals: list = field(default_factory=list)
    # Label of a box that must be ticked (e.g. judging is incomplete); "" when none is needed.
    acknowledge: str = ""
    irreversible: bool = True
    intro: str = ""
    # Posted back as they are: what the page confirmed (e.g. the target stage,
    # the rows an admin action was asked for), so a POST after a change
    # meanwhile is refused instead of doing something else. A dict, or
    # (name, value) pairs where a name repeats.
    hidden: dict | list = field(default_factory=dict)

    @property
    def hidden_fields(self):
        return list(self.hidden.items()) if isinstance(self.hidden, dict) else list(self.hidden)

    @property
    def options(self):
        return [c.option for c in self.consequences if c.option is not None]


class ConfirmForm(forms.Form):
    """The confirmation's options and acknowledgement; nothing else is posted."""

    def __init__(self, confirmation, data=None):
        super().__init__(data)
        for option in confirmation.options:
            self.fields[option.name] = forms.ChoiceField(
                label=option.label,
                choices=option.choices,
                widget=forms.RadioSelect,
                error_messages={"required": gettext_lazy("Choose one of these.")},
            )
        if confirmation.acknowledge:
            self.fields[ACKNOWLEDGE] = forms.BooleanField(
                label=confirmation.acknowledge,
                error_messages={"required": gettext_lazy("Tick this box to go ahead.")},
            )


def confirm(request, confirmation, *, perform, context, template="admin/confirm_action.html"):
    """The confirmation page, or the action once a POST confirms it.

    ``perform(choices)`` gets the cleaned options and returns the response
    (usually a redirect). A POST with refusals, a missing acknowledgement or
    a missing choice changes nothing and shows the page again, with the reasons.
    """
    posted = request.method == "POST" and CONFIRMED in request.POST
    form = ConfirmForm(confirmation, request.POST if posted else None)
    if posted and not confirmation.refusals and form.is_valid():
        return perform(form.cleaned_data)
    status = 200
    if posted:
        # 409: what the page was confirming no longer holds; 400: the form is incomplete.
        status = 409 if confirmation.refusals else 400
    return TemplateResponse(
        request,
        template,
        {**context, "title": confirmation.title, "confirmation": confirmation, "form": form},
        status=status,
    )
