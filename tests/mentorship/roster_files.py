"""Roster files for the import tests, built in memory (no binary file in git)."""

import csv
import io

import openpyxl
from import_export.formats.base_formats import CSV, XLSX

from mentorship import models as m
from programs import models as p

MENTOR_HEADERS = [
    "email",
    "full_name",
    "preferred_language",
    "program",
    "cycle",
    "kind",
    "alumni_degree",
    "organisation",
    "title",
    "industry",
    "discipline",
    "bio",
    "languages",
    "capacity",
]
STUDENT_HEADERS = [
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
]


def csv_bytes(headers, rows):
    """``rows`` are dicts; absent keys are blank cells."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(name, "") for name in headers])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(headers, rows):
    """Cells keep their Python type (numbers stay numbers), as in Excel."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(name) for name in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_dataset(headers, rows):
    return CSV(encoding="utf-8-sig").create_dataset(csv_bytes(headers, rows).decode())


def xlsx_dataset(headers, rows):
    return XLSX().create_dataset(xlsx_bytes(headers, rows))


def table_counts():
    """Row counts of everything an import may write."""
    models = (
        m.User,
        m.MentorProfile,
        m.StudentProfile,
        m.RosterEntry,
        m.Engagement,
        m.Enrollment,
        m.StaffRole,
        p.Program,
        p.Cycle,
    )
    return {model.__name__: model.objects.count() for model in models}


def row_messages(result):
    """{row number: [(column, message), ...]} of a result's invalid rows."""
    found = {}
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            found.setdefault(row.number, []).extend((column, str(text)) for text in messages)
    return found


def mentor(**values):
    row = {
        "email": "li.wei@example.com",
        "full_name": "Li Wei",
        "preferred_language": "zh-hans",
        "program": "Alumni Mentor Program",
        "cycle": "2026-2027",
        "kind": "alumnus",
        "alumni_degree": "emba",
        "organisation": "Everbright Securities",
        "title": "Managing Director",
        "industry": "Finance",
        "discipline": "Accounting",
        "bio": "Twenty years in investment banking.",
        "languages": "Chinese, English",
        "capacity": "4",
    }
    row.update(values)
    return row


def student(**values):
    row = {
        "email": "zhang.min@example.com",
        "full_name": "Zhang Min",
        "preferred_language": "en",
        "program": "Alumni Mentor Program",
        "cycle": "2026-2027",
        "student_number": "2023010001",
        "degree_level": "undergraduate",
        "major": "Accounting",
        "year": "3",
        "interests": "Auditing",
        "statement": "I want to learn how audit firms work.",
    }
    row.update(values)
    return row


def run(resource_class, user, dataset, dry_run=False):
    return resource_class(user=user).import_data(dataset, dry_run=dry_run)


def messages_of(result):
    return [text for found in row_messages(result).values() for _, text in found]
