"""The mentor roster: one row per mentor and program (and cycle)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..imports import MENTOR_LINK
from ..models import AlumniDegree, MentorKind, MentorProfile, RosterRole
from .base import PERSON_HELP, SAMPLE_PLACEMENT, RosterResource, column
from .cells import parse_whole_number


class MentorRosterResource(RosterResource):
    role = RosterRole.MENTOR
    required_columns = ("email", "full_name", "program", "kind")
    placement_columns = ("program", "cycle", "capacity")
    link = MENTOR_LINK
    link_name = "engagements"
    column_help = {
        **PERSON_HELP,
        "kind": gettext_lazy(
            "alumnus, entrepreneur, government, enterprise or faculty (or the label)."
        ),
        "alumni_degree": gettext_lazy(
            "emba, mba, mpacc, undergraduate or graduate; for alumni only, and required for them."
        ),
        "organisation": gettext_lazy("Employer or organisation."),
        "title": gettext_lazy("Job title."),
        "industry": gettext_lazy("Industry."),
        "discipline": gettext_lazy("Discipline, used to form teams of related mentors."),
        "bio": gettext_lazy("Short biography shown to students."),
        "languages": gettext_lazy("Languages spoken, comma-separated."),
        "capacity": gettext_lazy(
            "Students this mentor takes in the cycle; empty for the program's maximum."
        ),
    }

    sample_rows = [
        {
            **SAMPLE_PLACEMENT,
            "email": "li.wei@example.com",
            "full_name": "Li Wei",
            "preferred_language": "zh-hans",
            "kind": "alumnus",
            "alumni_degree": "emba",
            "organisation": "Everbright Securities",
            "title": "Managing Director",
            "industry": "Finance",
            "discipline": "Accounting",
            "bio": "EMBA 2012; twenty years in investment banking.",
            "languages": "Chinese, English",
            "capacity": "5",
        },
        {
            **SAMPLE_PLACEMENT,
            "email": "anna.schmidt@example.com",
            "full_name": "Anna Schmidt",
            "preferred_language": "en",
            "kind": "entrepreneur",
            "organisation": "Nordlicht Robotics",
            "title": "Founder",
            "industry": "Manufacturing",
            "discipline": "Mechanical engineering",
            "bio": "Founded two hardware start-ups.",
            "languages": "English, German",
        },
    ]

    capacity = column("capacity", "roster_capacity")

    class Meta:
        model = MentorProfile
        name = gettext_lazy("Mentor roster")
        fields = (
            "email",
            "full_name",
            "preferred_language",
            "program",
            "cycle",
            "kind",
            "alumni_degree",
            "organisation",
            "title",
            "industry",
            "discipline",
            "bio",
            "languages",
            "capacity",
        )
        import_id_fields = ("email",)
        report_skipped = False
        clean_model_instances = False

    def read_profile(self, profile, values, errors):
        self.set_choice(profile, "kind", values, errors, MentorKind.choices, required=True)
        if profile.kind == MentorKind.ALUMNUS:
            self.set_choice(profile, "alumni_degree", values, errors, AlumniDegree.choices)
            if not profile.alumni_degree and "alumni_degree" not in errors:
                errors.add(
                    "alumni_degree",
                    _("An alumnus needs a degree: one of %s.") % ", ".join(AlumniDegree.values),
                )
        elif profile.kind:
            if values["alumni_degree"]:
                errors.add("alumni_degree", _("Only alumni have a degree; leave this cell empty."))
            profile.alumni_degree = ""
        for attribute in ("organisation", "title", "industry", "discipline", "bio", "languages"):
            self.set_text(profile, attribute, values, errors)

    def read_placement(self, profile, program, cycle, values, errors):
        text = values["capacity"]
        capacity = parse_whole_number(text) if text else None
        if text and (capacity is None or capacity < 1):
            errors.add("capacity", _("“%s” is not a whole number of students.") % text)
        elif text and not values["cycle"]:
            errors.add(
                "capacity",
                _("A capacity is for a cycle: fill in the cycle or leave the capacity empty."),
            )
        elif capacity and program:
            low, high = program.mentor_capacity_min, program.mentor_capacity_max
            if not low <= capacity <= high:
                errors.add(
                    "capacity",
                    _("The program allows %(low)s to %(high)s students per mentor.")
                    % {"low": low, "high": high},
                )
        profile.roster_capacity = capacity
        if capacity is None and cycle is not None:
            current = self.stored_links.get((profile.pk, cycle.pk)) if profile.pk else None
            profile.roster_capacity = current or program.mentor_capacity_max
        return capacity

    def export_link(self, row, capacity):
        row.roster_capacity = capacity
