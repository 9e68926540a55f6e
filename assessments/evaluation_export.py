"""The evaluation and the awards as spreadsheets (XLSX, a sheet per table) or
CSV (a file per table).

A standings table has the evaluation page's columns and rows, built by
evaluation_review, and hides what the page hides. A fixed number of queries
per table whatever the cycle's size.
"""

from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from programs.models import AwardSubject
from programs.spreadsheets import XLSX_CONTENT_TYPE, csv_text, xlsx_bytes

from .evaluation_review import (
    DEFAULT_SORT,
    completion_states,
    criteria_of,
    display_name,
    hidden_columns,
    incomplete_enrollments,
    sort_links,
    standings_rows,
)
from .models import Award, Standing
from .models.subjects import SUBJECT_FIELDS

HIDDEN_MARK = "•"  # as the page shows a judged figure not to be seen yet
TIED_COLUMN = 2  # after the rank


def figure(value):
    """A 0-100 figure as the page shows it: one decimal; empty without one."""
    return None if value is None else round(value, 1)


def standings_table(evaluation, subject, *, hide_judged):
    """(header, rows) of a subject kind's standings, as the page shows them
    by rank; no rows before a computation. Three queries."""
    criteria = criteria_of(evaluation.cycle, subject)
    hidden = hidden_columns(criteria, hide_judged)
    header = [label for label, _key, _arrow in sort_links(criteria, DEFAULT_SORT, hidden)]
    # The page writes "(tied)" beside a shared rank; a sheet keeps the rank a
    # number and says it in a column of its own.
    header.insert(TIED_COLUMN, _("Tied"))
    if evaluation.pk is None or not evaluation.computed_at:
        return header, []
    tied = {True: _("tied"), False: None}
    rows = [
        [
            row.name,
            row.standing.rank,
            tied[row.standing.tied],
            figure(row.standing.total),
            *(HIDDEN_MARK if hide else figure(score and score.value) for score, hide in row.cells),
        ]
        for row in standings_rows(evaluation, subject, criteria, hidden=hidden)
    ]
    return header, rows


def completion_table(cycle):
    """(header, rows) of the completion check. Two queries."""
    requirements, enrollments = incomplete_enrollments(cycle)
    header = [_("Student"), *(requirement.kind.label for requirement in requirements)]
    rows = [
        [
            str(enrollment.student),
            *(label for _s, label in completion_states(enrollment, requirements)),
        ]
        for enrollment in enrollments
    ]
    return header, rows


def _rank_of_subject():
    """The rank of an award's subject in the evaluation's standings."""
    same_subject = Q()
    for field in SUBJECT_FIELDS.values():
        same_subject |= Q(**{field: OuterRef(field)})
    standing = Standing.objects.filter(
        same_subject, evaluation=OuterRef("evaluation"), subject=OuterRef("subject")
    )
    return Subquery(standing.values("rank")[:1])


def awards_table(evaluation):
    """(header, rows) of the evaluation's awards, by category then rank. One query."""
    field = Award._meta.get_field
    header = [
        field("category").verbose_name,
        field("subject").verbose_name,
        _("Name"),
        Standing._meta.get_field("rank").verbose_name,
        field("proposed").verbose_name,
        field("tied").verbose_name,
        field("decision").verbose_name,
        field("reason").verbose_name,
        field("citation").verbose_name,
        field("published_at").verbose_name,
    ]
    if evaluation.pk is None:
        return [str(label) for label in header], []
    awards = (
        Award.objects.filter(evaluation=evaluation)
        .select_related(
            "category", "enrollment__student__user", "engagement__mentor__user", "group"
        )
        .annotate(rank=_rank_of_subject())
        .order_by("category__position", "category__pk", "rank", "pk")
    )
    yes_no = {True: _("yes"), False: _("no")}
    rows = [
        [
            award.category.label,
            AwardSubject(award.subject).label,
            display_name(award.subject_object),
            award.rank,
            yes_no[award.proposed],
            yes_no[award.tied],
            award.get_decision_display(),
            award.reason,
            award.citation,
            award.published_at.date() if award.published_at else None,
        ]
        for award in awards
    ]
    return [str(label) for label in header], rows


def _attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def file_name(cycle, what, extension):
    """An ASCII name: the program's and the cycle's slugs where they have one."""
    base = slugify(f"{cycle.program.name} {cycle.name}") or f"cycle-{cycle.pk}"
    return f"{base}-{what}.{extension}"


def xlsx_response(name, sheets):
    """An XLSX download of ``sheets``: (title, header, rows) each."""
    return _attachment(HttpResponse(xlsx_bytes(sheets), content_type=XLSX_CONTENT_TYPE), name)


def csv_response(name, header, rows):
    """A CSV download, UTF-8 with a byte-order mark so spreadsheets read it so."""
    content = "\ufeff" + csv_text(header, rows)
    return _attachment(HttpResponse(content, content_type="text/csv; charset=utf-8"), name)
