"""The forms students fill in for each kind of deliverable, and the mentor's review form.

Every field is optional while drafting; submitting asks for the fields a
reviewer needs (``required_on_submit``). Content is stored as a flat JSON
object of field name to text, so a version reads back through the same form.
"""

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from programs.dates import validate_date_in_range
from sessions_app.meetings import confirmed_meetings_for

from .models import ReviewDecision
from .models.deliverables import GRADE_MAX
from .uploads import validate_upload

CAREER_PLAN = "career_plan"
INTERNSHIP_REPORT = "internship_report"
COMMUNICATION_RECORD = "communication_record"
MEETINGS = "meetings"

# The questions of the default competence dimensions; a dimension a program
# adds gets one free-text field.
CAREER_PLAN_QUESTIONS = {
    "self_awareness": [
        ("strengths", _("My strengths")),
        ("values", _("My values")),
        ("interests", _("My interests")),
    ],
    "career_exploration": [
        ("targets", _("Target industries and roles")),
        ("people", _("People I talked to")),
    ],
    "decision_making": [
        ("goals", _("My goals")),
        ("milestones", _("Milestones")),
        ("timeline", _("Timeline")),
    ],
}
TEXT = forms.Textarea(attrs={"rows": 3})
DRAFT, SUBMIT = "draft", "submit"
KEY = "submit_key"
NOT_CONTENT = ("file", KEY)


class DeliverableForm(forms.Form):
    """Base of the three deliverable forms. ``group`` on a field names its section."""

    allows_file = False
    required_on_submit = ()
    meetings = None  # the communication record's confirmed meetings

    def __init__(self, *args, requirement, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        self.add_fields(requirement)
        if self.allows_file:
            self.fields["file"] = forms.FileField(
                label=_("File (PDF or Word .docx, optional)"),
                required=False,
                help_text=_("Attached when you submit; a draft keeps only the text."),
            )
        # A new key each time the form is shown: the same form posted twice
        # (a double click) makes one version (services.submit).
        self.fields[KEY] = forms.UUIDField(
            required=False, widget=forms.HiddenInput, initial=uuid.uuid4
        )
        self.use_required_attribute = False

    def add_fields(self, requirement):
        raise NotImplementedError

    @property
    def submitting(self):
        return self.data.get("action") == SUBMIT

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.file_suffix = validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for name in self.required_on_submit:
                if name not in self.errors and not cleaned.get(name):
                    self.add_error(name, _("Fill this in before you submit."))
        return cleaned

    def content(self):
        """What the form holds, as JSON-ready text."""
        values = {}
        for name, value in self.cleaned_data.items():
            if name in NOT_CONTENT or value in (None, ""):
                continue
            values[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return values

    def read(self, content):
        """Sections of a stored version: [(heading, [(label, text), ...]), ...]."""
        sections = []
        for name, field in self.fields.items():
            if name in NOT_CONTENT or not content.get(name):
                continue
            group = getattr(field, "group", "")
            if not sections or sections[-1][0] != group:
                sections.append((group, []))
            sections[-1][1].append((field.label, content[name]))
        # A question the program no longer asks still shows what was answered.
        leftover = [(name, text) for name, text in content.items() if name not in self.fields]
        if leftover:
            sections.append(("", leftover))
        return sections


def _text(label, group=""):
    field = forms.CharField(label=label, required=False, widget=TEXT)
    field.group = group
    return field


class CareerPlanForm(DeliverableForm):
    def add_fields(self, requirement):
        dimensions = requirement.cycle.program.competencedimension_set.all()
        required = []
        for dimension in dimensions:
            questions = CAREER_PLAN_QUESTIONS.get(dimension.code) or [
                ("notes", _("My thoughts and plans"))
            ]
            for key, label in questions:
                name = f"{dimension.code}__{key}"
                self.fields[name] = _text(label, dimension.label)
                required.append(name)
        self.fields["free_text"] = _text(_("Anything else"), _("In my own words"))
        self.required_on_submit = required


class InternshipReportForm(DeliverableForm):
    allows_file = True
    required_on_submit = (
        "organisation",
        "role",
        "start_date",
        "end_date",
        "responsibilities",
        "learned",
    )

    def add_fields(self, requirement):
        date = forms.DateInput(attrs={"type": "date"})
        self.fields["organisation"] = forms.CharField(
            label=_("Organisation"), max_length=200, required=False
        )
        self.fields["role"] = forms.CharField(label=_("Role"), max_length=200, required=False)
        for name, label in (("start_date", _("From")), ("end_date", _("To"))):
            self.fields[name] = forms.DateField(
                label=label, required=False, widget=date, validators=[validate_date_in_range]
            )
        self.fields["responsibilities"] = _text(_("Responsibilities"))
        self.fields["learned"] = _text(_("What I learned"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The internship cannot end before it starts."))
        return cleaned

    def read(self, content):
        content = dict(content)
        for name in ("start_date", "end_date"):
            if content.get(name):
                content[name] = datetime.date.fromisoformat(content[name])
        return super().read(content)


class GenericDeliverableForm(DeliverableForm):
    allows_file = True

    def add_fields(self, requirement):
        self.fields["text"] = _text(_("Text"))
        self.fields["text"].widget = forms.Textarea(attrs={"rows": 8})

    def clean(self):
        cleaned = super().clean()
        empty = not cleaned.get("text") and not cleaned.get("file")
        if self.submitting and empty and not self.errors:
            self.add_error(None, _("Write something or attach a file before you submit."))
        return cleaned


def meeting_line(meeting):
    """One confirmed meeting as a line of the communication record."""
    topics = ", ".join(str(label) for label in meeting.topic_labels)
    when = date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT")
    head = _("%(date)s · %(minutes)s min · %(mode)s · with %(mentor)s") % {
        "date": when,
        "minutes": meeting.duration_minutes,
        "mode": meeting.get_mode_display(),
        "mentor": meeting.author.user,
    }
    return f"{head}{' · ' + topics if topics else ''}\n{meeting.summary}"


class CommunicationRecordForm(DeliverableForm):
    """The student's confirmed meetings, compiled as they stand, and a reflection.

    The meetings are copied into the version's content when it is saved, so a
    submitted version keeps the record it was judged on even if a meeting is
    corrected later.
    """

    required_on_submit = ("reflection",)

    def add_fields(self, requirement):
        enrollment = getattr(requirement, "enrollment", None)
        self.meetings = list(confirmed_meetings_for(enrollment)) if enrollment else []
        self.fields["reflection"] = _text(_("My reflection on these meetings"))
        self.fields["reflection"].widget = forms.Textarea(attrs={"rows": 8})

    def clean(self):
        cleaned = super().clean()
        if self.submitting and not self.meetings and not self.errors:
            self.add_error(
                None,
                _(
                    "You have no confirmed meeting yet: your record is compiled from the "
                    "meetings your mentor logged and you confirmed."
                ),
            )
        return cleaned

    def content(self):
        values = super().content()
        if self.meetings:
            values[MEETINGS] = "\n\n".join(meeting_line(m) for m in self.meetings)
        return values

    def read(self, content):
        content = dict(content)
        meetings = content.pop(MEETINGS, "")
        sections = super().read(content)
        if meetings:
            sections.insert(0, (_("Confirmed meetings"), [("", meetings)]))
        return sections


def form_class_for(requirement):
    return {
        CAREER_PLAN: CareerPlanForm,
        INTERNSHIP_REPORT: InternshipReportForm,
        COMMUNICATION_RECORD: CommunicationRecordForm,
    }.get(requirement.kind.code, GenericDeliverableForm)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        initial=ReviewDecision.COMMENT,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The student reads it with this version."),
    )
    grade = forms.IntegerField(
        label=_("Grade (optional)"),
        required=False,
        min_value=0,
        max_value=GRADE_MAX,
        help_text=_("From 0 to 100."),
    )

    def __init__(self, *args, decided=False, **kwargs):
        super().__init__(*args, **kwargs)
        if decided:
            # A version is decided once; afterwards mentors may only add comments.
            self.fields["decision"].choices = [
                (ReviewDecision.COMMENT.value, ReviewDecision.COMMENT.label)
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") != ReviewDecision.ACCEPTED and not cleaned.get("comment"):
            self.add_error("comment", _("Say what to revise or what you think in a comment."))
        return cleaned
