"""One page of a judge's scores: a score and a comment per subject shown and
judged criterion, filled with the judge's own judgments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.http import parse_id

from .judging import SCORE_MAX, SCORE_MIN, JudgmentRow


def score_name(subject_id, criterion_id):
    return f"score-{subject_id}-{criterion_id}"


def comment_name(subject_id, criterion_id):
    return f"comment-{subject_id}-{criterion_id}"


def posted_subject_ids(data):
    """The subject ids a submitted page carries, read from its field names."""
    ids = set()
    for name in data:
        parts = name.split("-")
        if len(parts) == 3 and parts[0] in ("score", "comment"):
            pk = parse_id(parts[1])
            if pk is not None:
                ids.add(pk)
    return ids


class JudgingForm(forms.Form):
    """Fields for ``subject_ids`` × ``criteria``; ``mine`` maps
    (criterion id, subject id) to the judge's own judgment."""

    def __init__(self, data=None, *, subject_ids, criteria, mine):
        super().__init__(data)
        self.criteria = {criterion.pk: criterion for criterion in criteria}
        self.pairs = [(s, c.pk) for s in subject_ids for c in criteria]
        for subject_id, criterion_id in self.pairs:
            own = mine.get((criterion_id, subject_id))
            self.fields[score_name(subject_id, criterion_id)] = forms.IntegerField(
                label=_("score"),
                required=False,
                min_value=SCORE_MIN,
                max_value=SCORE_MAX,
                initial=own.score if own else None,
                widget=forms.NumberInput(attrs={"class": "vIntegerField", "size": 3}),
            )
            self.fields[comment_name(subject_id, criterion_id)] = forms.CharField(
                label=_("comment"),
                required=False,
                initial=own.comment if own else "",
                widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
            )

    def clean(self):
        cleaned = super().clean()
        for subject_id, criterion_id in self.pairs:
            score = score_name(subject_id, criterion_id)
            comment = cleaned.get(comment_name(subject_id, criterion_id), "")
            if score in cleaned and cleaned[score] is None and comment.strip():
                self.add_error(score, _("Give a score from 1 to 10 with your comment."))
        return cleaned

    def changed_rows(self):
        """JudgmentRows for the pairs the judge changed on this page only."""
        changed = set(self.changed_data)
        return [
            JudgmentRow(
                criterion=self.criteria[criterion_id],
                subject_id=subject_id,
                score=self.cleaned_data[score_name(subject_id, criterion_id)],
                comment=self.cleaned_data[comment_name(subject_id, criterion_id)].strip(),
            )
            for subject_id, criterion_id in self.pairs
            if {score_name(subject_id, criterion_id), comment_name(subject_id, criterion_id)}
            & changed
        ]
