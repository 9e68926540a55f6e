"""The meeting form mentors fill in on a phone, and the admin's version of it."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .meetings import RECORD_FIELDS, allowed_students, check_record, coached_groups
from .models import Meeting, MeetingTopic

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


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
    the mentor may log a meeting with; the service checks them again."""

    def __init__(self, *args, mentor, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        groups = coached_groups(mentor=mentor, cycle=cycle).order_by("name")
        # A mentor without a group in the cycle is not asked about groups.
        if groups.exists():
            self.fields["group"] = forms.ModelChoiceField(
                label=_("Group"),
                queryset=groups,
                required=False,
                empty_label=_("No group: my own mentees"),
                help_text=_("Choose the group when you met students of one of your groups."),
            )
        self.fields["students"] = StudentChoiceField(
            label=_("Students"),
            queryset=allowed_students(mentor=mentor, cycle=cycle).order_by("user__full_name"),
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields.update(_record_fields())
        self.fields["starts_at"].widget.attrs["max"] = timezone.localtime().strftime(DATETIME_INPUT)

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
