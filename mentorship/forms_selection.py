"""Forms and filters of the selection pages.

Choices are built from lists the view loaded once, not from querysets: a
ModelChoiceField would query again for every select on the page.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.http import parse_id

from .models import Engagement, MentorKind


def mentor_label(engagement):
    profile = engagement.mentor
    parts = [str(profile.user), profile.organisation, profile.title]
    return " · ".join(part for part in parts if part)


def group_label(group):
    parts = [group.name, group.get_kind_display(), group.focus, group.sponsoring_organisation]
    return " · ".join(str(part) for part in parts if part)


class StudentRankingForm(forms.Form):
    """One select per rank position, so ranking works without JavaScript.

    The up/down buttons submit the same form with ``move`` set to
    ``"<position>:up"`` or ``"<position>:down"``; the two positions swap before
    the ranking is read, with or without htmx. ``"<position>:remove"`` empties
    the position. ``move`` is not a field: it comes
    from whichever button was pressed.
    """

    MOVES = {"up": -1, "down": 1, "remove": 0}
    moved_to = None
    widget = forms.Select(attrs={"class": "form-select"})

    label = staticmethod(mentor_label)
    twice = _("Each mentor can appear only once in your ranking.")
    foreign = _("You can only rank mentors taking part in this cycle.")

    def __init__(self, *args, options, positions, **kwargs):
        super().__init__(*args, **kwargs)
        position, _sep, direction = self.data.get("move", "").partition(":")
        if direction == "remove":
            # Blanked before validation, so a mentor who left the cycle can go.
            self.data = self.data.copy()
            self.data[f"rank_{position}"] = ""
        self.options = {option.pk: option for option in options}
        choices = [("", _("— nobody —"))] + [(option.pk, self.label(option)) for option in options]
        for position in range(1, positions + 1):
            self.fields[f"rank_{position}"] = forms.TypedChoiceField(
                label=_("Choice %(position)s") % {"position": position},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=self.widget,
                error_messages={"invalid_choice": self.foreign},
            )

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in self.fields]
        if move := self.data.get("move"):
            self._swap(chosen, move)
        chosen = [pk for pk in chosen if pk is not None]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError(self.twice, code="duplicate")
        # Empty positions are skipped: choices 1, 3 and 4 become ranks 1, 2 and 3.
        cleaned["ranking"] = [self.options[pk] for pk in chosen]
        return cleaned

    def _swap(self, chosen, move):
        position, _sep, direction = move.partition(":")
        number = parse_id(position)
        index = -1 if number is None else number - 1
        other = index + self.MOVES.get(direction, len(chosen))
        if not (0 <= index < len(chosen) and 0 <= other < len(chosen)):
            raise forms.ValidationError(_("This choice cannot move that way."), code="move")
        chosen[index], chosen[other] = chosen[other], chosen[index]
        self.moved_to = other + 1

    def focus(self, position):
        """Put the keyboard back on ``position`` after htmx swaps the form in."""
        name = f"rank_{position}"
        if name in self.fields:
            self.fields[name].widget.attrs["autofocus"] = True

    def positions(self):
        """(position, bound field) per rank, for the up/down buttons of the template."""
        return list(enumerate((self[name] for name in self.fields), start=1))


class MentorRankingForm(StudentRankingForm):
    """The student's chosen mentors only, each a hidden field beside its name.

    Mentors are added from the directory ("Add as choice N" posts the ranking
    plus one), so the page does not list the cycle's mentors: ``options`` are
    only the mentors ranked or posted. Each row moves up, down or is removed.
    """

    widget = forms.HiddenInput

    focused = None

    def focus(self, position):
        # A hidden input cannot take the keyboard: the template focuses the row.
        self.focused = position

    def rows(self):
        """(position, value, mentor or None, errors) per filled choice.

        The mentor is None when the value is not one of this cycle's mentors
        (one who left it since, or a forged value). Positions are compacted:
        empty choices close up, so the arrows of row ``n`` move the ``n``-th
        mentor.
        """
        filled = [
            (value, self.errors.get(name, []))
            for name in self.fields
            if (value := self[name].value()) not in (None, "")
        ]
        return [
            (position, value, self.options.get(parse_id(str(value))), errors)
            for position, (value, errors) in enumerate(filled, start=1)
        ]

    def free(self):
        """How many more mentors the student may add."""
        return len(self.fields) - len(self.rows())


class GroupRankingForm(StudentRankingForm):
    """The same ranking, of coaching groups, one select each: the groups are few
    and described beside the form."""

    label = staticmethod(group_label)
    twice = _("Each group can appear only once in your ranking.")
    foreign = _("You can only rank groups open to students in this cycle.")


class MentorJudgementForm(forms.Form):
    """Per applicant a rank (or none) and a "not acceptable" box; used for
    mentors and for coaching groups' leaders alike."""

    def __init__(self, *args, applicants, **kwargs):
        super().__init__(*args, **kwargs)
        self.applicants = applicants
        rank_choices = [("", "—")] + [(rank, rank) for rank in range(1, len(applicants) + 1)]
        for enrollment in applicants:
            self.fields[f"rank_{enrollment.pk}"] = forms.TypedChoiceField(
                label=_("Your rank for %(name)s") % {"name": enrollment.student.user},
                choices=rank_choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"refuse_{enrollment.pk}"] = forms.BooleanField(
                label=_("Not acceptable"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def rows(self):
        """(enrollment, rank field, refuse field) per applicant, for the template."""
        return [
            (enrollment, self[f"rank_{enrollment.pk}"], self[f"refuse_{enrollment.pk}"])
            for enrollment in self.applicants
        ]

    def clean(self):
        cleaned = super().clean()
        ranked, refused = {}, []
        for enrollment in self.applicants:
            rank = cleaned.get(f"rank_{enrollment.pk}")
            if cleaned.get(f"refuse_{enrollment.pk}"):
                if rank is not None:
                    self.add_error(
                        f"refuse_{enrollment.pk}",
                        _("A student cannot be both ranked and not acceptable."),
                    )
                refused.append(enrollment)
            elif rank is not None:
                if rank in ranked:
                    self.add_error(
                        f"rank_{enrollment.pk}",
                        _("Two students cannot share a rank."),
                    )
                ranked[rank] = enrollment
        # Gaps close up: ranks 1, 3 and 4 are stored as 1, 2 and 3.
        cleaned["ranks"] = [ranked[rank] for rank in sorted(ranked)]
        cleaned["not_acceptable"] = refused
        return cleaned


ANY = _("Any")


def _choices(values):
    return sorted({(value, value) for value in values if value})


class MentorDirectoryFilter(django_filters.FilterSet):
    """Filters of the mentor directory; the value lists come from the cycle's mentors."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        field_name="mentor__kind", label=_("Kind"), choices=MentorKind.choices
    )
    industry = django_filters.ChoiceFilter(field_name="mentor__industry", label=_("Industry"))
    discipline = django_filters.ChoiceFilter(field_name="mentor__discipline", label=_("Discipline"))
    organisation = django_filters.ChoiceFilter(
        field_name="mentor__organisation", label=_("Organisation")
    )

    class Meta:
        model = Engagement
        fields = []

    def __init__(self, *args, facets=(), **kwargs):
        super().__init__(*args, **kwargs)
        # One query for all three lists, instead of one per filter.
        industries, disciplines, organisations = zip(*facets, strict=True) if facets else ((),) * 3
        self.filters["industry"].extra["choices"] = _choices(industries)
        self.filters["discipline"].extra["choices"] = _choices(disciplines)
        self.filters["organisation"].extra["choices"] = _choices(organisations)

    def search(self, queryset, name, value):
        query = Q()
        for field in (
            "user__full_name",
            "organisation",
            "title",
            "industry",
            "discipline",
            "bio",
            "languages",
        ):
            query |= Q(**{f"mentor__{field}__icontains": value})
        return queryset.filter(query)
