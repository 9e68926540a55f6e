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
not. The preview of a person outside those programs shows only the file's
values, so an import cannot be used to read other programs' people. As in the
people admin, a coordinator cannot change the name or language of a staff
account other than their own; such a row may only leave them empty or equal.

Checks across rows (a person or a student number listed twice) run on the
whole file before any row is read, so they hold in the dry run too. The admin
runs the import in one transaction and rolls it all back when any row fails.
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
