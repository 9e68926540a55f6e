"""The roster files' formats: django-import-export's CSV and XLSX, written and
read through programs.spreadsheets so that text which looks like a formula
stays text (import-export's own escaping deletes the "=" instead) and an
exported roster imports back unchanged."""

import io

import openpyxl
import tablib
from import_export.formats.base_formats import CSV, XLSX

from programs.spreadsheets import csv_text, csv_value, xlsx_bytes


class RosterCSV(CSV):
    def export_data(self, dataset, **kwargs):
        return csv_text(dataset.headers, dataset)

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        rows = ([csv_value(v) if isinstance(v, str) else v for v in row] for row in dataset)
        return tablib.Dataset(*rows, headers=dataset.headers)


class RosterXLSX(XLSX):
    # Reading needs nothing: string cells come back as they were written.
    def export_data(self, dataset, **kwargs):
        return xlsx_bytes([(dataset.title or "Sheet1", dataset.headers, dataset)])


# By file extension, as a background import keeps it.
FORMATS = {"csv": RosterCSV, "xlsx": RosterXLSX}


def count_rows(*, data, file_format):
    """About how many rows the file ``data`` has, cheaply, to choose where
    it is imported (a quoted line break counts as a row; so does a header)."""
    if file_format == "xlsx":
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        except Exception:
            return 0  # unreadable: the synchronous path says so on the form
        return book.active.max_row or 0
    return data.count(b"\n")
