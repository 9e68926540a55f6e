from django import forms
from django.utils.translation import gettext_lazy as _

from .competence import level_choices


class CompetenceForm(forms.Form):
    """A level (radio buttons 1-5 with descriptors) and a note per dimension.

    ``dimensions`` must have their level descriptors prefetched. Used by
    students for themselves and by mentors for their mentees (``note_label``).
    """

    def __init__(self, *args, dimensions, note_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for dimension in dimensions:
            self.fields[f"level_{dimension.pk}"] = forms.TypedChoiceField(
                label=dimension.label,
                choices=level_choices(dimension),
                coerce=int,
                widget=forms.RadioSelect,
                help_text=dimension.description,
                error_messages={
                    "required": _("Choose a level from 1 to 5."),
                    "invalid_choice": _("Choose a level from 1 to 5."),
                },
            )
            self.fields[f"note_{dimension.pk}"] = forms.CharField(
                label=note_label or _("Note (optional)"), max_length=500, required=False
            )

    def pairs(self):
        """(level field, note field) per dimension, for the template."""
        return [(self[f"level_{d.pk}"], self[f"note_{d.pk}"]) for d in self.dimensions]

    def levels(self):
        """What the services take: dimension id -> (level, note)."""
        return {
            d.pk: (self.cleaned_data[f"level_{d.pk}"], self.cleaned_data[f"note_{d.pk}"])
            for d in self.dimensions
        }
