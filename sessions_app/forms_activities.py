from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.models import LEADER_ROLES, Group, Guest

from .models import Activity

# What describes an activity, on the coaches' form and in the admin alike.
ACTIVITY_DETAILS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "link",
    "capacity",
    "description",
)
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.ModelForm):
    """A chief or leading coach's activity for one of the groups they lead."""

    invite_group = forms.BooleanField(
        label=_("Invite the whole group"), required=False, initial=True
    )

    class Meta:
        model = Activity
        fields = ["group", *ACTIVITY_DETAILS, "guests"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "guests": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        led = (
            Group.objects.filter(memberships__mentor__user=user, memberships__role__in=LEADER_ROLES)
            .exclude(cycle__stage="closed")
            .select_related("cycle__program")
            .distinct()
        )
        self.fields["group"].queryset = led
        self.fields["group"].required = True
        self.fields["guests"].queryset = Guest.objects.filter(
            program__in=led.values("cycle__program")
        ).order_by("name")

    def clean(self):
        data = super().clean()
        group, guests = data.get("group"), data.get("guests")
        if group and guests and any(g.program_id != group.cycle.program_id for g in guests):
            self.add_error("guests", _("Guests must be of the group's program."))
        if group:
            # The model's own check needs the cycle, which the group decides.
            self.instance.cycle = group.cycle
        return data


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
