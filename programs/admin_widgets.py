"""Autocomplete widgets that look up only values that can be ids, and that a
formset can tell its chosen options all at once.

Django's autocomplete widget puts the posted value into its query to show
the chosen option again, so a form sent back with ``mentor=²`` failed with
a 500 while re-showing its errors. Here such a value is not looked up: the
field reports it as an invalid choice, and the widget shows nothing chosen.

Each widget also ran its own query for its chosen option, so an inline of
30 members cost 30 queries; :func:`look_up_chosen` fetches them for every
row of a formset in one query per field, through the same choice queryset.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class IdsOnlyMixin:
    # {str(id): label} of the options a formset looked up for all its rows;
    # None: look up this widget's own value.
    chosen = None

    def lookable(self, value):
        target = self.field.target_field
        looked_up = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            looked_up.append(item)
        return looked_up

    def optgroups(self, name, value, attr=None):
        looked_up = self.lookable(value)
        if self.chosen is None:
            return super().optgroups(name, looked_up, attr)
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        selected = {str(item) for item in looked_up}
        for key in [key for key in self.chosen if key in selected]:
            index = len(default[1])
            default[1].append(self.create_option(name, key, self.chosen[key], selected, index))
        return [default]


class IdsOnlyAutocompleteSelect(IdsOnlyMixin, AutocompleteSelect):
    pass


class IdsOnlyAutocompleteSelectMultiple(IdsOnlyMixin, AutocompleteSelectMultiple):
    pass


def _values(bound_field):
    value = bound_field.value()
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _autocomplete(field):
    # The admin wraps a relation's widget in its add/change links wrapper.
    widget = getattr(field.widget, "widget", field.widget)
    return widget if isinstance(widget, IdsOnlyMixin) else None


def look_up_chosen(forms):
    """Give every autocomplete widget of ``forms`` (one formset's rows, same
    fields) its chosen options, with one query per field."""
    if not forms:
        return
    for name, field in forms[0].fields.items():
        widget = _autocomplete(field)
        if widget is None:
            continue
        ids = {str(v) for form in forms for v in widget.lookable(_values(form[name]))}
        ids -= {str(v) for v in field.empty_values}
        to_field = widget.field.target_field.attname
        rows = field.queryset.using(widget.db).filter(**{f"{to_field}__in": ids}) if ids else ()
        chosen = {str(getattr(obj, to_field)): field.label_from_instance(obj) for obj in rows}
        for form in forms:
            if name in form.fields and _autocomplete(form.fields[name]):
                _autocomplete(form.fields[name]).chosen = chosen
