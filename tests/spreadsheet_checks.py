"""Reading the app's XLSX downloads back in tests, and checking that they hold
no formula."""

import io
import re
import zipfile

import openpyxl

from programs.spreadsheets import FORMULA_STARTS

FORMULA_ELEMENT = re.compile(r"<(\w+:)?f[ >/]")


def xlsx_rows(content, title=None):
    """The rows of a sheet (the first one without ``title``) as lists of values."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book[title] if title else book.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def assert_xlsx_has_no_formulas(content):
    """No <f> element in any sheet, no cell typed as a formula, and text that
    starts like one carries the quote prefix."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not FORMULA_ELEMENT.search(archive.read(name).decode()), name
    for sheet in openpyxl.load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
