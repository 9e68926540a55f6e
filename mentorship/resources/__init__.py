"""Roster files of mentors and students, imported and exported in the admin
with django-import-export.

A row puts one person on one program's roster and, when the cycle column is
filled in, engages a mentor for that cycle (status invited) or enrolls a
student in it (status applied). People are found by e-mail address, in any
letter case; a student number already held by someone else is an error, never
a merge. New people get an unusable password: they choose their own through
the password reset or invitation e-mail.

Blank cells: a blank cell in an optional column leaves what is stored as it
is, so a re-import never erases data; write a new value to change one. The one
exception is the alumni degree, cleared when a mentor stops being an alumnus
because only alumni have one. A new engagement without a capacity gets the
program's maximum.

Programs are looked up among those the importing person coordinates (all, for
a superuser); any other name is "unknown", whether such a program exists or
not. An import may create people, and update or place an existing person only
as far as mentorship.reach allows: someone already in the row's program, or
whose every program the importer coordinates. A row naming anybody else is an
error on its e-mail address that says nothing of what is stored about them,
so an import can neither take over nor read other programs' people. As in the
people admin, a coordinator cannot change the name or language of a staff
account other than their own; such a row may only leave them empty or equal.

Checks across rows (a person or a student number listed twice) run on the
whole file before any row is read, so they hold in the dry run too. Rows
only read (what they check is loaded once for the whole file); the file is
written at the end, set-based and in one transaction, and only when no row
failed, so an import is all or nothing and a dry run writes nothing.
"""

from .base import RosterFileError, RosterResource
from .mentors import MentorRosterResource
from .students import StudentRosterResource

__all__ = [
    "MentorRosterResource",
    "RosterFileError",
    "RosterResource",
    "StudentRosterResource",
]
