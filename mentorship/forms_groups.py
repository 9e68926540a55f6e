"""Admin forms of groups: guests of the group's program, the program's group rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .group_rules import group_rule_problems, places_problem, rule_for, strangers_to_cycle
from .models import Group, GroupMembership


class GroupAdminForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["cycle", "kind", "name", "focus", "sponsoring_organisation", "capacity", "guests"]

    def clean(self):
        cleaned = super().clean()
        cycle, guests = cleaned.get("cycle"), cleaned.get("guests")
        kind, capacity = cleaned.get("kind"), cleaned.get("capacity")
        if cycle and kind and capacity:
            rule = rule_for(program_id=cycle.program_id, kind=kind)
            problem = places_problem(rule=rule, kind=kind, capacity=capacity)
            if problem:
                self.add_error("capacity", problem)
        if cycle and guests:
            strangers = [guest.name for guest in guests if guest.program_id != cycle.program_id]
            if strangers:
                self.add_error(
                    "guests",
                    _("Only guests of the group's program can be attached: %(names)s is not.")
                    % {"names": ", ".join(strangers)},
                )
        return cleaned


class GroupMembershipInlineFormSet(forms.BaseInlineFormSet):
    """Refuses a membership list that breaks the program's group rules for good;
    warnings (minimums not yet reached) are left to the admin to show after saving."""

    def clean(self):
        super().clean()
        group = self.instance
        if any(self.errors) or not group.cycle_id or not group.kind:
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("role") and not self._should_delete_form(form)
        ]
        blocking = strangers_to_cycle(
            cycle_id=group.cycle_id,
            mentors=[data["mentor"] for data in kept if data.get("mentor")],
            students=[data["student"] for data in kept if data.get("student")],
        )
        rule = rule_for(program_id=group.cycle.program_id, kind=group.kind)
        if rule is not None:  # else the group form says the kind is not allowed
            roles = [data["role"] for data in kept]
            blocking += [
                problem.message
                for problem in group_rule_problems(rule=rule, kind=group.kind, roles=roles)
                if problem.blocking
            ]
        if blocking:
            raise ValidationError(blocking)


class GroupMembershipAdminForm(forms.ModelForm):
    """One membership added on its own page keeps the group's rules too."""

    class Meta:
        model = GroupMembership
        fields = ["group", "role", "mentor", "student"]

    def clean(self):
        cleaned = super().clean()
        group, role = cleaned.get("group"), cleaned.get("role")
        if group and role:
            others = GroupMembership.objects.filter(group=group)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            roles = [*others.values_list("role", flat=True), role]
            rule = rule_for(program_id=group.cycle.program_id, kind=group.kind)
            messages = strangers_to_cycle(
                cycle_id=group.cycle_id,
                mentors=[cleaned["mentor"]] if cleaned.get("mentor") else [],
                students=[cleaned["student"]] if cleaned.get("student") else [],
            )
            messages += [
                problem.message
                for problem in group_rule_problems(rule=rule, kind=group.kind, roles=roles)
                if problem.blocking
            ]
            for message in messages:
                self.add_error(None, message)
        return cleaned


class TeamsForm(forms.Form):
    """The teams page: a team number per mentor and a name per team, for the
    teams ``shown`` (numbers of one page of them) and the new team.

    Team numbers are the page's slots; one more than there are teams starts a
    new team. The mentors and names of the teams on other pages stay as
    ``slots`` has them; saving saves every team.
    """

    basis = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, slots, shown, unplaced=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        # The saved teams the page was built on: another save since then is refused.
        self.basis = ",".join(str(group.pk) for group in groups)
        self.fields["basis"].initial = self.basis
        self.new = len(slots) + 1
        self.shown = [*shown, self.new]
        on_page = set(self.shown)
        # Every matched mentor's team before this post: those of other pages keep it.
        self.placed = {e.pk: slot.number for slot in slots for e in slot.engagements}
        self.placed.update((e.pk, self.new) for e in unplaced)
        page = [(s.number, e) for s in slots if s.number in on_page for e in s.engagements]
        self.rows = []
        for number, engagement in [*page, *((self.new, e) for e in unplaced)]:
            name = f"mentor_{engagement.pk}"
            label = _("Team number of %(mentor)s") % {"mentor": engagement.mentor}
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=1,
                max_value=self.new,
                initial=number,
                widget=forms.NumberInput(
                    attrs={"aria-label": label, "list": "team-numbers", "class": "vSmallField"}
                ),
            )
            self.rows.append((number, engagement, name))
        for number in self.shown:
            self.fields[f"name_{number}"] = forms.CharField(
                label=_("Name of team %(number)s") % {"number": number},
                max_length=200,
                required=False,
                initial=self._saved_name(number),
            )

    def _saved_name(self, number):
        return self.slots[number - 1].name if number < self.new else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("basis", "") != self.basis:
            raise ValidationError(_("The teams were changed meanwhile; look at them again."))
        names = self.names()
        for number in set(self.assignment().values()):
            if not names[number]:
                self.add_error(f"name_{number}", _("A team with mentors needs a name."))
        return cleaned

    def assignment(self):
        """Engagement id -> team number, for every matched mentor: as posted
        for the valid rows of the page, as before for the others."""
        posted = {
            engagement.pk: self.cleaned_data[name]
            for _number, engagement, name in self.rows
            if name in self.cleaned_data
        }
        return {**self.placed, **posted}

    def names(self):
        """Team number -> name: as posted for the page's teams, as saved (or
        suggested) for the others."""
        names = {number: self._saved_name(number) for number in range(1, self.new + 1)}
        for number in self.shown:
            names[number] = (self.cleaned_data.get(f"name_{number}") or "").strip()
        return names

    def teams(self):
        """For the template: each team of the page with its name field and its rows."""
        rows = {}
        for number, engagement, name in self.rows:
            rows.setdefault(number, []).append((engagement, self[name]))
        return [
            {
                "number": number,
                "slot": self.slots[number - 1] if number < self.new else None,
                "name": self[f"name_{number}"],
                "rows": rows.get(number, []),
            }
            for number in self.shown
        ]
