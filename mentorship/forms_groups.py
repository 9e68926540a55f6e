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
    """The teams page: a team select per mentor and a name per team.

    Team numbers are the page's slots; one more than there are teams starts a
    new team.
    """

    basis = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, slots, unplaced=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        # The saved teams the page was built on: another save since then is refused.
        self.basis = ",".join(str(group.pk) for group in groups)
        self.fields["basis"].initial = self.basis
        new = len(slots) + 1
        choices = [(slot.number, slot.name) for slot in slots]
        choices.append((new, _("A new team")))
        placed = [(slot.number, e) for slot in slots for e in slot.engagements]
        placed += [(new, e) for e in unplaced]
        self.rows = []
        for number, engagement in placed:
            name = f"mentor_{engagement.pk}"
            label = _("Team of %(mentor)s") % {"mentor": engagement.mentor}
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                initial=number,
                widget=forms.Select(attrs={"aria-label": label}),
            )
            self.rows.append((number, engagement, name))
        for number in range(1, new + 1):
            initial = slots[number - 1].name if number <= len(slots) else ""
            self.fields[f"name_{number}"] = forms.CharField(
                label=_("Name of team %(number)s") % {"number": number},
                max_length=200,
                required=False,
                initial=initial,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("basis", "") != self.basis:
            raise ValidationError(_("The teams were changed meanwhile; look at them again."))
        for number in set(self.assignment().values()):
            if not (cleaned.get(f"name_{number}") or "").strip():
                self.add_error(f"name_{number}", _("A team with mentors needs a name."))
        return cleaned

    def assignment(self):
        """Engagement id -> team number, for the valid rows."""
        return {
            engagement.pk: self.cleaned_data[name]
            for _number, engagement, name in self.rows
            if name in self.cleaned_data
        }

    def names(self):
        return {
            number: self.cleaned_data.get(f"name_{number}", "").strip()
            for number in range(1, len(self.slots) + 2)
        }

    def teams(self):
        """For the template: each team number with its name field and its rows."""
        return [
            {
                "number": number,
                "slot": self.slots[number - 1] if number <= len(self.slots) else None,
                "name": self[f"name_{number}"],
                "rows": [(e, self[name]) for n, e, name in self.rows if n == number],
            }
            for number in range(1, len(self.slots) + 2)
        ]
