"""Reading the cells of a roster file, which come from CSV as text and from
XLSX as numbers, dates or None."""

import functools

from django.utils import translation

HEADER_ALIASES = {"e_mail": "email", "e_mail_address": "email", "email_address": "email"}


def cell_text(value):
    if value is None:
        return ""
    # Spreadsheets store 20260001 or 3 as floats; "20260001.0" is not a student number.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def normalise_header(value):
    text = cell_text(value).casefold().replace("-", "_").replace(" ", "_")
    return HEADER_ALIASES.get(text, text)


def parse_choice(text, choices):
    """The value of ``choices`` whose value, English label or label in the
    active language is ``text`` (case-insensitive); None if none is."""
    names = _choice_names(tuple(choices), translation.get_language())
    return names.get(text.casefold())


@functools.lru_cache(maxsize=64)
def _choice_names(choices, language):
    """{casefolded value or label: value}; worked out once per language, not
    per cell (switching languages per choice took a tenth of a long import).
    The first choice to claim a name keeps it, as the loop over them did."""
    names = {}
    for value, label in choices:
        with translation.override("en"):
            english = str(label)
        for name in (str(value), english, str(label)):
            names.setdefault(name.casefold(), value)
    return names


def parse_whole_number(text):
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


class RowErrors:
    """Messages of one row, by column."""

    def __init__(self):
        self.by_column = {}

    def add(self, column, message):
        self.by_column.setdefault(column, []).append(message)

    def __contains__(self, column):
        return column in self.by_column

    def __bool__(self):
        return bool(self.by_column)
