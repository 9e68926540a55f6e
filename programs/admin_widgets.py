"""Autocomplete widgets that look up only values that can be ids.

Django's autocomplete widget puts the posted value into its query to show
the chosen option again, so a form sent back with ``mentor=²`` failed with
a 500 while re-showing its errors. Here such a value is not looked up: the
field reports it as an invalid choice, and the widget shows nothing chosen.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class IdsOnlyMixin:
    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        looked_up = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            looked_up.append(item)
        return super().optgroups(name, looked_up, attr)


class IdsOnlyAutocompleteSelect(IdsOnlyMixin, AutocompleteSelect):
    pass


class IdsOnlyAutocompleteSelectMultiple(IdsOnlyMixin, AutocompleteSelectMultiple):
    pass
