"""What the coordinator's matching page shows of a run, at any size.

A run at 11,000 students made a 4 MB page when every pair, unmatched
student and mentor was a table row (and every student an option of the move
form). So the page shows a summary of the whole run, then each list a page
at a time, filtered by a search on names; a student is moved from their row.

The run's result and input are JSON on the MatchingRun: everything here is
computed from them plus two queries for the names (the cycle's enrollments,
the sides), whatever the size.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Paginator

from .matching_levels import LEVELS, Named
from .models import Enrollment

PER_PAGE = 100
# Blocking pairs come from moves by hand, so there are few; a cap keeps the page small anyway.
BLOCKING_SHOWN = 100


def _students(run):
    """enrollment id -> Named, for the run's students, in one query."""
    wanted = run.input_snapshot["students"]
    rows = (
        Enrollment.objects.filter(cycle_id=run.cycle_id)
        .values_list(
            "pk", "student__user__full_name", "student__user__email", "student__student_number"
        )
        .order_by()  # sorted by the page, which needs no sort by cycle and program
    )
    return {
        pk: Named(pk, f"{name or email} ({number})")
        for pk, name, email, number in rows
        if str(pk) in wanted
    }


def _matches(query):
    """A predicate on labels: does it contain ``query`` (any case)?"""
    needle = query.strip().casefold()
    return lambda *labels: not needle or any(needle in str(label).casefold() for label in labels)


def summary(run):
    """The figures of the whole run: by rank, sides by load, blocking pairs.

    No query: from the run's stored result and input.
    """
    spec = LEVELS[run.level]
    result, data = run.result, run.input_snapshot
    pinned = {str(s) for s, _ in data["pinned"]}
    ranks = Counter(
        "pinned" if student in pinned else result["rank"].get(student)
        for student in result["assignment"]
    )
    by_rank = [(rank, ranks[rank]) for rank in sorted(r for r in ranks if isinstance(r, int))]
    minimum = spec.minimum(run.cycle)
    load = result["load"]
    filled = [(load.get(side, 0), capacity) for side, capacity in data["capacities"].items()]
    return {
        "by_rank": by_rank,
        "off_list": ranks[None],
        "pinned": ranks["pinned"],
        "manual": len(result.get("manual", {})),
        "sides": len(filled),
        "empty": sum(n == 0 for n, _ in filled),
        "under_minimum": sum(n < minimum for n, _ in filled),
        "full": sum(n == capacity for n, capacity in filled),
        "over_capacity": sum(n > capacity for n, capacity in filled),
        "minimum": minimum,
    }


def describe_run(run, *, query=""):
    """The run's lists for the preview page, each filtered by ``query`` (a
    part of a student's or a side's name or a student number), in two queries.

    Returns matched pairs (best rank first, then by name), the unmatched with
    their reason and per-side details, the sides (those over capacity or
    under the minimum first), the blocking pairs (at most BLOCKING_SHOWN),
    every student by id and the pinned ones' ids (for the move form). Students
    and sides are :class:`~mentorship.matching_levels.Named`; pairs and
    unmatched are :class:`Rows`, built only for the page shown.
    """
    spec = LEVELS[run.level]
    result, data = run.result, run.input_snapshot
    students = _students(run)
    sides = spec.sides([int(pk) for pk in data["capacities"]])
    minimum = spec.minimum(run.cycle)
    shown = _matches(query)
    pinned = {int(s) for s, _ in data["pinned"]}
    manual = result.get("manual", {})
    ranks = result["rank"]

    def matched_row(pair):
        student, side = pair
        return {
            "student": students.get(student),
            "mentor": sides.get(side),
            "rank": ranks.get(str(student)),
            "pinned": student in pinned,
            "manual": manual.get(str(student), {}).get("reason"),
        }

    matched = sorted(
        (
            (s, m)
            for s, m in ((int(s), int(m)) for s, m in result["assignment"].items())
            if shown(students.get(s), sides.get(m))
        ),
        key=lambda pair: (ranks.get(str(pair[0])) or 99, str(students.get(pair[0])), pair[0]),
    )
    load = result["load"]
    side_rows = [
        {
            "mentor": sides.get(int(m)),
            "filled": load.get(m, 0),
            "capacity": capacity,
            "under_minimum": load.get(m, 0) < minimum,
            "over_capacity": load.get(m, 0) > capacity,
        }
        for m, capacity in data["capacities"].items()
        if shown(sides.get(int(m)))
    ]
    side_rows.sort(
        key=lambda row: (not (row["over_capacity"] or row["under_minimum"]), str(row["mentor"]))
    )
    unmatched_items = result["unmatched"]

    def unmatched_row(student):
        item = unmatched_items[str(student)]
        return {
            "student": students.get(student),
            "reason": spec.reason_labels[item["reason"]],
            "manual": manual.get(str(student), {}).get("reason"),
            "details": [(sides.get(int(m)), spec.why_labels[why]) for m, why in item["details"]],
        }

    unmatched = sorted(
        (int(s) for s in unmatched_items if shown(students.get(int(s)))),
        key=lambda student: (str(students.get(student)), student),
    )
    blocking = [
        (students.get(int(s)), sides.get(int(m)))
        for s, m in result["blocking_pairs"][:BLOCKING_SHOWN]
    ]
    return {
        "students": students,
        "pinned": pinned,
        "matched": Rows(matched, matched_row),
        "mentors": side_rows,
        "unmatched": Rows(unmatched, unmatched_row),
        "blocking": blocking,
        "minimum": minimum,
        "texts": spec.texts,
    }


class Rows:
    """A sorted list whose rows are built only when sliced (a page of it):
    thousands of keys sort cheaply, while a row with names and labels is
    built for the hundred shown."""

    def __init__(self, keys, build):
        self.keys, self.build = keys, build

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.build(key) for key in self.keys[index]]
        return self.build(self.keys[index])


@dataclass(frozen=True)
class Listing:
    """One page of a list, with links to its neighbours that keep the rest of
    the page's query (the search, the other lists' pages)."""

    page: object
    previous_url: str
    next_url: str


def paged(request, rows, param):
    """Page ``param`` of ``rows`` (a list or a queryset), PER_PAGE a page."""
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get(param))

    def url(number):
        query = request.GET.copy()
        query[param] = number
        query.pop("move", None)
        return f"?{query.urlencode()}"

    return Listing(
        page,
        url(page.previous_page_number()) if page.has_previous() else "",
        url(page.next_page_number()) if page.has_next() else "",
    )
