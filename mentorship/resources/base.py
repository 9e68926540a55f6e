"""What the mentor and student rosters share: reading the file as a whole,
checking each row, scoping to the importer's programs and writing the file
at the end (what is loaded for the file is in stored.py, the export in
export.py)."""

from copy import copy
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.results import RowResult

from programs.models import Program

from ..imports import save_roster
from ..models import User
from ..reach import REFUSAL, Reach
from .cells import RowErrors, cell_text, normalise_header, parse_choice
from .export import RosterExport
from .stored import StoredState

PERSON_HELP = {
    "email": gettext_lazy("E-mail address; finds the person if they are already registered."),
    "full_name": gettext_lazy("Full name."),
    "preferred_language": gettext_lazy("en or zh-hans; empty for English."),
    "program": gettext_lazy("Name of a program you coordinate."),
    "cycle": gettext_lazy("Name of a cycle of that program; empty to add to the roster only."),
}

# Sample files (docs/roster-samples/ and the admin's template download) use
# these names; the download swaps in the coordinator's own program and cycle.
SAMPLE_PLACEMENT = {"program": "Alumni Mentor Program", "cycle": "2026-2027"}


# Rows read between two progress reports.
PROGRESS_EVERY = 250


class RosterFileError(Exception):
    """The file as a whole cannot be read as a roster; no row is looked at."""


def column(name, attribute=None):
    return fields.Field(attribute=attribute or name, column_name=name)


class RosterResource(StoredState, RosterExport, resources.ModelResource):
    role = None
    required_columns = ()
    # Per-placement columns: the same person may be listed once per program and cycle.
    placement_columns = ("program", "cycle")
    link = None  # mentorship.imports.Link
    link_name = ""
    column_help = {}
    sample_rows = []

    # Columns every roster file has; each subclass adds its profile's own.
    email = column("email", "user__email")
    full_name = column("full_name", "user__full_name")
    preferred_language = column("preferred_language", "user__preferred_language")
    program = column("program", "roster_program")
    cycle = column("cycle", "roster_cycle")

    def __init__(self, *, user=None, skip_diff=False, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        if skip_diff:
            # No before-and-after table (a page that never shows one): the
            # copy of every instance it needs was a fifth of a long import.
            self._meta = copy(self._meta)
            self._meta.skip_diff = True
        self.row_problems = {}
        self.programs = {}
        self.cycles = {}
        self.dry_run = True
        # Set by a confirm step: the state_digest its preview saw.
        self.expected_digest = None
        # Called with the number of rows read, every PROGRESS_EVERY rows.
        self.on_progress = None
        # Called in the transaction that writes the file, to commit with it.
        self.on_written = None

    @classmethod
    def column_names(cls):
        return list(cls._meta.fields)

    @cached_property
    def program_ids(self):
        """Programs this import may touch; None for all of them."""
        if self.user is None or not self.user.is_authenticated:
            return []
        if self.user.is_superuser:
            return None
        return list(Program.objects.coordinated_by(self.user).values_list("pk", flat=True))

    @cached_property
    def reach(self):
        return Reach(self.user)

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        # Rows only read (what they check is loaded for the whole file first)
        # and the file is written at the end, set-based, in one transaction
        # and only when no row failed (after_import): all or nothing,
        # whoever calls, without a savepoint per row; a dry run writes nothing.
        for option in ("use_transactions", "rollback_on_validation_errors"):
            kwargs.pop(option, None)
        self.dry_run = dry_run
        collect = kwargs.pop("collect_failed_rows", False)
        return self.import_data_inner(dataset, dry_run, raise_errors, False, collect, **kwargs)

    # --- the file as a whole -------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self.normalise(dataset)
        rows = [{name: cell_text(value) for name, value in row.items()} for row in dataset.dict]
        self.row_problems = self.check_across_rows(rows)
        self.load_programs()
        self.load_people({row["email"].lower() for row in rows})
        self.load_links(rows)
        self.saved, self.placements = {}, []
        self.digest = self.state_digest()

    def normalise(self, dataset):
        """Canonical headers in canonical order, absent optional columns blank."""
        names = self.column_names()
        headers = [normalise_header(header) for header in dataset.headers or []]
        keep = [i for i, h in enumerate(headers) if h or any(cell_text(r[i]) for r in dataset)]
        given = [headers[i] for i in keep]
        problems = []
        if "" in given:
            problems.append(_("A column with values has no heading."))
        missing = [name for name in self.required_columns if name not in given]
        if missing:
            problems.append(_("Required columns are missing: %s.") % ", ".join(missing))
        unknown = [name for name in given if name and name not in names]
        if unknown:
            problems.append(
                _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
                % {"unknown": ", ".join(unknown), "columns": ", ".join(names)}
            )
        repeated = sorted({name for name in given if name and given.count(name) > 1})
        if repeated:
            problems.append(_("Columns given twice: %s.") % ", ".join(repeated))
        rows = [dict(zip(given, (row[i] for i in keep), strict=True)) for row in dataset]
        dataset.wipe()
        dataset.headers = names
        if problems:
            raise RosterFileError(" ".join(problems))
        for row in rows:
            dataset.append([row.get(name, "") for name in names])

    def check_across_rows(self, rows):
        problems = {}
        placements, people, numbers = {}, {}, {}
        own_columns = [
            name for name in self.column_names() if name not in ("email", *self.placement_columns)
        ]
        for number, row in enumerate(rows, 1):
            email = row["email"].lower()
            if not email:
                continue
            found = problems.setdefault(number, [])
            placement = (email, row["program"].casefold(), row["cycle"].casefold())
            if placement in placements:
                found.append(
                    (
                        "email",
                        _("Row %s already lists this person for the same program and cycle.")
                        % placements[placement],
                    )
                )
            placements.setdefault(placement, number)
            first_number, first = people.setdefault(email, (number, row))
            for name in own_columns:
                if first[name] and row[name] and first[name].casefold() != row[name].casefold():
                    found.append(
                        (name, _("Row %s gives this person a different value.") % first_number)
                    )
            student_number = row.get("student_number", "").casefold()
            if student_number:
                owner_number, owner = numbers.setdefault(student_number, (number, email))
                if owner != email:
                    found.append(
                        (
                            "student_number",
                            _("Row %s gives this student number to another person.") % owner_number,
                        )
                    )
        return problems

    # --- one row -------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        if not any(cell_text(value) for value in row.values()):
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            return result
        return super().import_row(row, instance_loader, **kwargs)

    def get_instance(self, instance_loader, row):
        email = cell_text(row.get("email"))
        return self.known(email)[0] if email else None

    def init_instance(self, row=None):
        email = cell_text((row or {}).get("email")).lower()
        user = self.known(email)[1] if email else None
        return self._meta.model(user=user or User(email=email))

    def import_instance(self, instance, row, **kwargs):
        values = {name: cell_text(row.get(name)) for name in self.column_names()}
        errors = RowErrors()
        for name, message in self.row_problems.get(kwargs.get("row_number"), ()):
            errors.add(name, message)
        program, cycle = self.read_program(values, errors)
        user = instance.user
        if user.pk is None or (program and self.reach.may_attach(user, program)):
            self.read_person(user, values, errors)
            self.read_profile(instance, values, errors)
            value = self.read_placement(instance, program, cycle, values, errors)
        elif program:
            # Someone this import may not reach: the row changes nothing of
            # theirs and checks nothing against what is stored about them.
            errors.add("email", REFUSAL)
        # Without a valid program an existing person is not judged at all:
        # the row already fails, and where they go decides what may be read.
        instance.roster_program = program.name if program else values["program"]
        instance.roster_cycle = cycle.name if cycle else values["cycle"]
        if errors:
            columns = [name for name in self.column_names() if name in errors]
            raise ValidationError({name: errors.by_column[name] for name in columns})
        instance.roster_save = (program, cycle, value)

    def do_instance_save(self, instance, is_create):
        # Only when not a dry run: kept for after_import, which writes them all.
        email = instance.user.email.lower()
        self.saved[email] = instance
        self.placements.append((email, *instance.roster_save))

    def after_save_instance(self, instance, row, **kwargs):
        # Dry run or not: later rows of this person see what this row says.
        self.remember(instance)

    def after_import_row(self, row, row_result, **kwargs):
        number = kwargs.get("row_number") or 0
        if self.on_progress is not None and number % PROGRESS_EVERY == 0:
            self.on_progress(number)

    def after_import(self, dataset, result, **kwargs):
        if self.dry_run or result.has_errors() or result.has_validation_errors():
            return
        if self.expected_digest is not None and self.expected_digest != self.digest:
            raise RosterFileError(
                _(
                    "Nothing was imported: people, programs or cycles the file names "
                    "changed after the preview. Upload the file again to see a new preview."
                )
            )
        profiles = list(self.saved.values())
        changed = {
            email
            for email, profile in self.saved.items()
            if self.values_of(profile) != self.stored_values.get(email)
        }
        placements = [
            (self.saved[email], program, cycle, value)
            for email, program, cycle, value in self.placements
        ]
        try:
            with transaction.atomic(using=self.get_db_connection_name()):
                save_roster(
                    link=self.link, profiles=profiles, changed=changed, placements=placements
                )
                if self.on_written is not None:
                    self.on_written()
            # Each row's result names the profile as saved (a person's earlier
            # row held a copy without its new id): the admin logs them by id.
            for row in result.rows:
                if row.instance is not None:
                    row.instance = self.saved[row.instance.user.email.lower()]
                    row.object_id = row.instance.pk
        except IntegrityError as error:
            raise RosterFileError(
                _(
                    "Nothing was imported: the file clashes with data saved meanwhile. "
                    "Upload the file again."
                )
            ) from error

    def read_person(self, user, values, errors):
        email = values["email"]
        if not email:
            errors.add("email", _("This column is required."))
        else:
            try:
                validate_email(email)
                if len(email) > User._meta.get_field("email").max_length:
                    raise ValidationError("too long")
            except ValidationError:
                errors.add("email", _("“%s” is not a valid e-mail address.") % email)
        stored = {name: getattr(user, name) for name in ("full_name", "preferred_language")}
        self.set_text(user, "full_name", values, errors, required=True)
        self.set_choice(user, "preferred_language", values, errors, settings.LANGUAGES)
        # As in the people admin: staff accounts are the operators' to change.
        if user.pk and (user.is_staff or user.is_superuser) and not self.may_change_staff(user):
            for name, value in stored.items():
                if getattr(user, name) != value:
                    setattr(user, name, value)
                    errors.add(
                        name,
                        _("Only an administrator can change a staff account; leave this empty."),
                    )

    def may_change_staff(self, user):
        return self.user is not None and (self.user.is_superuser or self.user.pk == user.pk)

    def read_program(self, values, errors):
        name = values["program"]
        if not name:
            errors.add("program", _("This column is required."))
            return None, None
        program = self.programs.get(name.casefold())
        if program is None:
            errors.add("program", _("Unknown program “%s”.") % name)
            return None, None
        if not values["cycle"]:
            return program, None
        cycle = self.cycles.get((program.pk, values["cycle"].casefold()))
        if cycle is None:
            errors.add(
                "cycle",
                _("Program “%(program)s” has no cycle “%(cycle)s”.")
                % {"program": program.name, "cycle": values["cycle"]},
            )
        elif cycle.is_closed:
            errors.add("cycle", _("Cycle “%s” is closed; nobody can join it now.") % cycle.name)
            cycle = None
        return program, cycle

    def set_text(self, obj, attribute, values, errors, *, required=False):
        value = values[attribute]
        if not value:
            if required and not getattr(obj, attribute):
                errors.add(attribute, _("This column is required."))
            return
        limit = obj._meta.get_field(attribute).max_length
        if limit and len(value) > limit:
            errors.add(
                attribute,
                _("At most %(limit)d characters are allowed; this has %(length)d.")
                % {"limit": limit, "length": len(value)},
            )
            return
        setattr(obj, attribute, value)

    def set_choice(self, obj, attribute, values, errors, choices, *, required=False):
        text = values[attribute]
        if not text:
            if required and not getattr(obj, attribute):
                errors.add(attribute, _("This column is required."))
            return
        value = parse_choice(text, choices)
        if value is None:
            errors.add(
                attribute,
                _("“%(value)s” is not valid here. Use one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(str(code) for code, label in choices)},
            )
        else:
            setattr(obj, attribute, value)
