"""The student roster: one row per student and program (and cycle)."""

from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..imports import STUDENT_LINK
from ..models import DegreeLevel, RosterRole, StudentProfile
from .base import PERSON_HELP, SAMPLE_PLACEMENT, RosterResource, column
from .cells import parse_whole_number


class StudentRosterResource(RosterResource):
    role = RosterRole.STUDENT
    required_columns = ("email", "full_name", "program", "student_number", "degree_level")
    placement_columns = ("program", "cycle", "statement")
    link = STUDENT_LINK
    link_name = "enrollments"
    column_help = {
        **PERSON_HELP,
        "student_number": gettext_lazy("Student number; no two people may share one."),
        "degree_level": gettext_lazy("undergraduate, master or doctoral (or the label)."),
        "major": gettext_lazy("Major."),
        "year": gettext_lazy("Year of study, 1 to 10."),
        "interests": gettext_lazy("Career interests."),
        "statement": gettext_lazy("Application statement for the cycle."),
    }

    sample_rows = [
        {
            **SAMPLE_PLACEMENT,
            "email": "zhang.min@example.com",
            "full_name": "Zhang Min",
            "preferred_language": "zh-hans",
            "student_number": "2023010001",
            "degree_level": "undergraduate",
            "major": "Accounting",
            "year": "3",
            "interests": "Auditing, consulting",
            "statement": "I want to learn how audit firms work.",
        },
        {
            **SAMPLE_PLACEMENT,
            "email": "omar.haddad@example.com",
            "full_name": "Omar Haddad",
            "preferred_language": "en",
            "student_number": "M2025020017",
            "degree_level": "master",
            "major": "Finance",
            "year": "1",
            "interests": "Asset management",
        },
    ]

    statement = column("statement", "roster_statement")

    class Meta:
        model = StudentProfile
        name = gettext_lazy("Student roster")
        fields = (
            "email",
            "full_name",
            "preferred_language",
            "program",
            "cycle",
            "student_number",
            "degree_level",
            "major",
            "year",
            "interests",
            "statement",
        )
        import_id_fields = ("email",)
        report_skipped = False
        clean_model_instances = False

    def read_profile(self, profile, values, errors):
        self.set_text(profile, "student_number", values, errors, required=True)
        number = values["student_number"]
        if number and "student_number" not in errors:
            holder = self.number_holders.get(number.upper())
            if holder is not None and holder != profile.user.email.lower():
                errors.add(
                    "student_number",
                    _("Student number %s already belongs to another person.") % number,
                )
        self.set_choice(profile, "degree_level", values, errors, DegreeLevel.choices, required=True)
        self.set_text(profile, "major", values, errors)
        if values["year"]:
            year = parse_whole_number(values["year"])
            if year is None or not 1 <= year <= 10:
                errors.add("year", _("The year of study must be a whole number from 1 to 10."))
            else:
                profile.year = year
        self.set_text(profile, "interests", values, errors)

    def read_placement(self, profile, program, cycle, values, errors):
        statement = values["statement"]
        if statement and not values["cycle"]:
            errors.add(
                "statement",
                _("A statement is for a cycle: fill in the cycle or leave the statement empty."),
            )
        profile.roster_statement = statement
        return statement

    def load_links(self, rows):
        super().load_links(rows)
        # Who holds each student number the file names: one query for the
        # whole file, where a case-insensitive lookup per row read them all.
        numbers = {row["student_number"].upper() for row in rows} - {""}
        holders = StudentProfile.objects.annotate(number=Upper("student_number"))
        self.number_holders = {
            number: email.lower()
            for number, email in holders.filter(number__in=numbers).values_list(
                "number", "user__email"
            )
        }
        self.numbers_held = {email: number for number, email in self.number_holders.items()}

    def remember(self, profile):
        super().remember(profile)
        # As the database would now answer: a row that gives its person a
        # new number frees their old one.
        email = profile.user.email.lower()
        number = profile.student_number.upper()
        old = self.numbers_held.get(email)
        if old and old != number and self.number_holders.get(old) == email:
            del self.number_holders[old]
        self.number_holders[number] = email
        self.numbers_held[email] = number

    def extra_state(self):
        return sorted(self.number_holders.items())

    def export_link(self, row, statement):
        row.roster_statement = statement or ""
