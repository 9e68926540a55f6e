"""The meeting form mentors fill in on a phone, and the admin's version of it."""

import copy
import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.http import parse_id

from .meetings import RECORD_FIELDS, allowed_students, check_record, coached_groups
from .models import Meeting, MeetingTopic

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
REFRESH = "_refresh"  # posted to show the chosen group's students, saving nothing


def _record_fields():
    fields = fields_for_model(
        Meeting,
        fields=RECORD_FIELDS,
        widgets={
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_INPUT
            ),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        },
    )
    fields["duration_minutes"].widget.attrs.update(min=1, step=5)
    fields["topics"] = forms.MultipleChoiceField(
        label=_("Topics"), choices=MeetingTopic.choices, widget=forms.CheckboxSelectMultiple
    )
    return fields


class StudentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.user.full_name


class MeetingForm(forms.Form):
    """A meeting of ``mentor`` in ``cycle``: the students offered are the ones
    the mentor may log a meeting with in the chosen group (none: their own
    mentees); the service checks them again. ``refresh_url`` is where the
    group's choice posts to show that group's students (see ``refreshed``)."""

    def __init__(self, *args, mentor, cycle, refresh_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.mentor, self.cycle, self.refresh_url = mentor, cycle, refresh_url
        groups = coached_groups(mentor=mentor, cycle=cycle).order_by("name")
        has_mentees = allowed_students(mentor=mentor, cycle=cycle).exists()
        # A mentor without a group in the cycle is not asked about groups.
        if groups.exists():
            self.fields["group"] = forms.ModelChoiceField(
                label=_("Group"),
                queryset=groups,
                # A coach with no mentees of their own meets students of a group.
                required=not has_mentees,
                empty_label=_("No group: my own mentees") if has_mentees else None,
                help_text=_("Choose the group when you met students of one of your groups."),
                widget=forms.Select(attrs=self._refresh_attrs()),
            )
        group = self._chosen_group(groups, has_mentees)
        self.fields["students"] = StudentChoiceField(
            label=_("Students"),
            queryset=allowed_students(mentor=mentor, cycle=cycle, group=group).order_by(
                "user__full_name"
            ),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields.update(_record_fields())
        self.fields["starts_at"].widget.attrs["max"] = timezone.localtime().strftime(DATETIME_INPUT)

    def _refresh_attrs(self):
        if not self.refresh_url:
            return {}
        return {
            "hx-post": self.refresh_url,
            "hx-trigger": "change",
            "hx-vals": json.dumps({REFRESH: "1"}),
            "hx-target": "#div_id_students",
            "hx-select": "#div_id_students",
            "hx-swap": "outerHTML",
        }

    def _chosen_group(self, groups, has_mentees):
        """The group whose students are offered: the posted or initial one, a
        coach's first group when they have no mentees, else None."""
        if "group" not in self.fields:
            return None
        raw = (
            self["group"].data
            if self.is_bound
            else self.get_initial_for_field(self.fields["group"], "group")
        )
        raw = getattr(raw, "pk", raw)
        pk = parse_id(str(raw)) if raw is not None else None
        chosen = groups.filter(pk=pk).first() if pk else None
        if chosen is None and not has_mentees:
            chosen = groups.first()
            self.initial.setdefault("group", chosen.pk)
        return chosen

    @property
    def anyone(self):
        """Whether the mentor may log a meeting with anyone in the cycle."""
        return "group" in self.fields or self.fields["students"].queryset.exists()

    def refreshed(self):
        """An unbound copy holding what was typed, offering the students of the
        group now chosen: the page shown again without saving or errors."""
        initial = {name: self[name].data for name in self.fields}
        return type(self)(
            mentor=self.mentor, cycle=self.cycle, refresh_url=self.refresh_url, initial=initial
        )

    def record_values(self):
        """The cleaned record for the services; the group only when the form asks it."""
        names = [*RECORD_FIELDS, "group"]
        return {name: self.cleaned_data[name] for name in names if name in self.fields}

    @staticmethod
    def initial_for(meeting):
        return {
            **{name: getattr(meeting, name) for name in RECORD_FIELDS},
            "starts_at": timezone.localtime(meeting.starts_at),
            "group": meeting.group_id,
            "students": [participant.student_id for participant in meeting.participants.all()],
        }


class MeetingAdminForm(forms.ModelForm):
    """The coordinator's correction of a meeting: the same rules as the mentor's form."""

    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=MeetingTopic.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Meeting
        fields = RECORD_FIELDS

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # A copy: the admin saves through the service, which compares the
        # stored record with the new one.
        meeting = copy.copy(self.instance)
        for name in RECORD_FIELDS:
            setattr(meeting, name, cleaned.get(name))
        try:
            check_record(meeting)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned
