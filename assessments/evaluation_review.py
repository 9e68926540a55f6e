"""What the evaluation page shows: one subject kind's standings with a column
per criterion, sorted in the database and a page at a time, and the
completion check of required deliverables. A fixed number of queries per page
whatever the cycle's size."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from programs.evaluation_rules import Measure
from programs.http import parse_id
from programs.models import AwardSubject, RubricCriterion

from .evaluation_sources import required_requirements
from .models import ReviewDecision, Score, Standing, Submission
from .models.subjects import SUBJECT_FIELDS
from .survey_stats import surveyed_enrollments

PAGE_SIZE = 100
NAMES = {
    AwardSubject.STUDENT: "enrollment__student__user__full_name",
    AwardSubject.MENTOR: "engagement__mentor__user__full_name",
    AwardSubject.GROUP: "group__name",
}
RELATED = {
    AwardSubject.STUDENT: "enrollment__student__user",
    AwardSubject.MENTOR: "engagement__mentor__user",
    AwardSubject.GROUP: "group",
}
DEFAULT_SORT = "rank"

# How a score came about, as the review shows it beside the figure.
SCORED, NO_EVIDENCE, LEFT_OUT, NOT_JUDGED = "scored", "no_evidence", "left_out", "not_judged"
CASE_LABELS = {
    NO_EVIDENCE: _("no evidence: 0"),
    LEFT_OUT: _("does not apply: left out"),
    NOT_JUDGED: _("not judged yet: left out"),
}


def score_case(score, measure):
    """Which case a Score of a criterion of ``measure`` is: SCORED from its
    records, NO_EVIDENCE (expected and missing: counted as 0), LEFT_OUT (does
    not apply to the subject) or NOT_JUDGED (no judge scored them yet)."""
    if score.value is None:
        return NOT_JUDGED if measure == Measure.JUDGED else LEFT_OUT
    return NO_EVIDENCE if score.raw is None else SCORED


@dataclass
class Row:
    standing: Standing
    scores: list  # Score or None, one per criterion
    cells: list = field(default_factory=list)  # (score, hidden) pairs, as hidden_columns says

    @property
    def name(self):
        return display_name(self.standing.subject_object)


def display_name(subject_object):
    """A student's or a mentor's name, or a group's (without the cycle)."""
    person = getattr(subject_object, "student", None) or getattr(subject_object, "mentor", None)
    return str(person or subject_object)


def criteria_of(cycle, subject):
    return list(RubricCriterion.objects.filter(program=cycle.program_id, subject=subject))


def _ordering(evaluation, subject, sort, criteria):
    """(annotations, order expression, the sort as understood)."""
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    annotations = {}
    if key == "name":
        expression = F(NAMES[subject])
    elif key == "total":
        expression = F("total")
    elif key.startswith("c") and (criterion := parse_id(key[1:])) in {c.pk for c in criteria}:
        subject_key = SUBJECT_FIELDS[subject]
        value = Score.objects.filter(
            evaluation=evaluation, criterion=criterion, **{subject_key: OuterRef(subject_key)}
        ).values("value")[:1]
        annotations["sort_value"] = Subquery(value)
        expression = F("sort_value")
    else:
        key, descending, expression = DEFAULT_SORT, False, F("rank")
    order = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return annotations, order, f"-{key}" if descending else key


def hidden_columns(criteria, hide_judged):
    """Per criterion, whether the reader sees a mark instead of the figures:
    judged criteria while ``hide_judged`` (a steering member before
    finalization must not learn the other judges' scores)."""
    return [criterion.measure == Measure.JUDGED and hide_judged for criterion in criteria]


def _standings(evaluation, subject, criteria, sort, hidden):
    # A hidden column sorts nothing: its order would tell the scores.
    sortable = [c for c, hide in zip(criteria, hidden, strict=True) if not hide]
    annotations, order, sort = _ordering(evaluation, subject, sort, sortable)
    standings = (
        Standing.objects.filter(evaluation=evaluation, subject=subject)
        .select_related(RELATED[subject])
        .annotate(**annotations)
        .order_by(order, F("place").asc(nulls_last=True), "pk")
    )
    return standings, sort


def _rows(evaluation, subject, criteria, hidden, standings, *, every=False):
    """Rows of ``standings`` with their scores (one query): all of the
    subject kind's scores when ``every``, else those of these standings."""
    key = SUBJECT_FIELDS[subject]
    scores = Score.objects.filter(evaluation=evaluation, subject=subject)
    if not every:
        scores = scores.filter(**{f"{key}__in": [s.subject_id for s in standings]})
    found = {(getattr(score, f"{key}_id"), score.criterion_id): score for score in scores}
    measures = {criterion.pk: criterion.measure for criterion in criteria}
    for score in found.values():
        score.case = score_case(score, measures.get(score.criterion_id))
        score.case_label = CASE_LABELS.get(score.case, "")
    rows = []
    for standing in standings:
        row = Row(standing, [found.get((standing.subject_id, c.pk)) for c in criteria])
        row.cells = list(zip(row.scores, hidden, strict=True))
        rows.append(row)
    return rows


def standings_page(evaluation, subject, criteria, *, sort, page, hidden):
    """(page of Rows, the sort applied). Three queries: count, standings,
    scores. ``hidden`` as hidden_columns gives."""
    standings, sort = _standings(evaluation, subject, criteria, sort, hidden)
    page_obj = Paginator(standings, PAGE_SIZE).get_page(page)
    page_obj.object_list = _rows(evaluation, subject, criteria, hidden, list(page_obj.object_list))
    return page_obj, sort


def standings_rows(evaluation, subject, criteria, *, hidden):
    """Every Row of the subject kind, by rank, as the page shows them (two queries)."""
    standings, _sort = _standings(evaluation, subject, criteria, DEFAULT_SORT, hidden)
    return _rows(evaluation, subject, criteria, hidden, list(standings), every=True)


def sort_links(criteria, sort, hidden=None):
    """Column heads: (label, sort key a click applies or None, arrow of the
    current sort). ``hidden`` as hidden_columns gives: those do not sort."""
    hidden = hidden or [False] * len(criteria)
    sortable = {c.pk for c, hide in zip(criteria, hidden, strict=True) if not hide}
    heads = [("name", _("Name")), ("rank", _("Rank")), ("total", _("Total"))]
    heads += [(f"c{c.pk}" if c.pk in sortable else None, c.label) for c in criteria]
    current, descending = sort.removeprefix("-"), sort.startswith("-")
    links = []
    for key, label in heads:
        if key is None:
            links.append((label, None, ""))
            continue
        # Figures sort best first on the first click; names and ranks ascending.
        first = key if key in ("name", "rank") else f"-{key}"
        if key == current:
            links.append((label, key if descending else f"-{key}", "▼" if descending else "▲"))
        else:
            links.append((label, first, ""))
    return links


MISSING, WAITING, ACCEPTED = "missing", "waiting", "accepted"
COMPLETION_STATES = {
    MISSING: _("not handed in"),
    WAITING: _("not accepted yet"),
    ACCEPTED: _("accepted"),
}


def incomplete_enrollments(cycle):
    """(requirements, queryset of enrollments by name): matched students
    missing an accepted version of a required deliverable, annotated for
    completion_states. Two queries whatever the number of students."""
    requirements = list(required_requirements(cycle).select_related("kind"))
    annotations, incomplete = {}, Q()
    for requirement in requirements:
        versions = Submission.objects.filter(enrollment=OuterRef("pk"), requirement=requirement)
        annotations[f"handed_{requirement.pk}"] = Exists(versions)
        annotations[f"accepted_{requirement.pk}"] = Exists(
            versions.filter(reviews__decision=ReviewDecision.ACCEPTED)
        )
        incomplete |= Q(**{f"accepted_{requirement.pk}": False})
    enrollments = (
        surveyed_enrollments(cycle)
        .annotate(**annotations)
        .filter(incomplete if requirements else Q(pk__in=[]))
        .select_related("student__user")
        .order_by("student__user__full_name", "pk")
    )
    return requirements, enrollments


def completion_states(enrollment, requirements):
    """[(state, label)] of an enrollment from incomplete_enrollments, per requirement."""
    return [_state(enrollment, requirement) for requirement in requirements]


def completion_page(cycle, *, page):
    """(requirements, page of (enrollment, [state per requirement])). Three
    queries whatever the number of students."""
    requirements, enrollments = incomplete_enrollments(cycle)
    page_obj = Paginator(enrollments, PAGE_SIZE).get_page(page)
    page_obj.object_list = [
        (enrollment, completion_states(enrollment, requirements))
        for enrollment in page_obj.object_list
    ]
    return requirements, page_obj


def _state(enrollment, requirement):
    if getattr(enrollment, f"accepted_{requirement.pk}"):
        return ACCEPTED, COMPLETION_STATES[ACCEPTED]
    if getattr(enrollment, f"handed_{requirement.pk}"):
        return WAITING, COMPLETION_STATES[WAITING]
    return MISSING, COMPLETION_STATES[MISSING]
