"""Dates and times people type stay within the years the product works with.

A cycle that ends on 9999-12-31 once made every dashboard overflow while
drawing its months, and a deliverable due in year 1 would overflow the first
reminder computed before it. A date before 2000 or from 2100 on is a typo
here: ``validate_date_in_range`` gives the form a clear message and
``date_range_constraint`` makes the database refuse what gets past a form.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2099
_EARLIEST = datetime.date(FIRST_YEAR, 1, 1)
_END = datetime.date(LAST_YEAR + 1, 1, 1)  # the first day no longer allowed
# For date-times, the same bounds in UTC: the database compares instants.
_EARLIEST_AT = datetime.datetime.combine(_EARLIEST, datetime.time(), tzinfo=datetime.UTC)
_END_AT = datetime.datetime.combine(_END, datetime.time(), tzinfo=datetime.UTC)

_YEARS = {"first": FIRST_YEAR, "last": LAST_YEAR}
OUT_OF_RANGE = _("Enter a date from the year %(first)s to the year %(last)s.")
# Translated when shown: constraints are built while models load.
_out_of_range = lazy(lambda: OUT_OF_RANGE % _YEARS, str)


def _bounds(timed):
    return (_EARLIEST_AT, _END_AT) if timed else (_EARLIEST, _END)


def validate_date_in_range(value):
    """Validator of a date, or an aware date-time, from FIRST_YEAR to LAST_YEAR."""
    earliest, end = _bounds(isinstance(value, datetime.datetime))
    if not earliest <= value < end:
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range", params=_YEARS)


def date_range_constraint(field, *, name, timed=False):
    """A check that ``field`` (a DateField, or a DateTimeField when ``timed``)
    lies from FIRST_YEAR to LAST_YEAR; an empty value passes."""
    earliest, end = _bounds(timed)
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": earliest, f"{field}__lt": end}),
        name=name,
        violation_error_message=_out_of_range(),
    )
