"""Stable two-way matching of students to mentors (or to groups) with capacities.

Plain Python on plain data: no Django here, so the algorithm can be tested on
its own, measured against other implementations, and reused for groups.

The algorithm is student-proposing deferred acceptance with capacities (the
"hospital-resident" problem, Gale and Shapley 1962; Roth 1984):

* every free student proposes to the best mentor on their list they have not
  yet proposed to; a mentor holds the best students up to their capacity and
  rejects the rest; rejected students propose further down; this ends when no
  free student has a mentor left to propose to.

Guarantees, for the preferences as completed below:

* **Stable.** No student and mentor both prefer each other to what they got
  (a mentor with a free place prefers any acceptable student to the place
  staying empty). :func:`blocking_pairs` checks any assignment for this.
* **Student-optimal.** Among all stable matchings every student gets their
  best possible mentor; the result is unique, so it does not depend on the
  order in which students propose: the same input gives the same output.
* **Strategy-proof for students.** No student can get a better mentor by
  ranking other than their true preferences (Dubins and Freedman 1981; Roth
  1982). Mentors are not protected this way; no stable mechanism can do that.
* **Capacities hold**; a mentor never gets a student who is not acceptable to
  them; forbidden pairs are never used; pinned pairs are always used.

Completing a mentor's preferences: a mentor ranks some students (best first)
and may mark others not acceptable. Acceptable students the mentor did not
rank come after the ranked ones, in the coordinator's ``tie_break`` order
(by default the order of ``student_prefs``). So a mentor who ranks nobody
accepts everyone who ranked them, in tie-break order.

Pinned pairs are placed first and use the mentor's capacity; the pinned
students take no part in the rest, and stability is about everyone else.
"""

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum
from heapq import heappush, heapreplace


class Why(StrEnum):
    """Why one mentor on a student's list did not take them."""

    FULL = "full"  # full of students that mentor preferred
    NOT_ACCEPTABLE = "not_acceptable"  # the mentor marked the student not acceptable
    FORBIDDEN = "forbidden"  # the coordinator forbade the pair
    UNAVAILABLE = "unavailable"  # not taking part in this run
    FILLED = "filled"  # every place taken by students pinned from an earlier round


class Reason(StrEnum):
    """Why a student is unmatched, summing up the mentors they ranked."""

    RANKED_NOBODY = "ranked_nobody"
    ALL_FULL = "all_full"
    NOT_ACCEPTABLE = "not_acceptable"
    MIXED = "mixed"


@dataclass(frozen=True)
class Unmatched:
    reason: Reason
    # (mentor, why) for every mentor the student ranked, in their order.
    details: tuple = ()


@dataclass(frozen=True)
class MatchingResult:
    assignment: dict  # student -> mentor
    rank: dict  # student -> 1-based rank of their mentor on their list; None if pinned off-list
    unmatched: dict  # student -> Unmatched
    proposals: int = 0
    load: dict = field(default_factory=dict)  # mentor -> students assigned


class MatchingInputError(ValueError):
    """The input cannot be matched as given (e.g. pins over a mentor's capacity)."""


def _priorities(students, mentor_ranks, tie_break):
    """A function (mentor, student) -> number, lower is better, for acceptable pairs."""
    order = tie_break if tie_break is not None else students
    position = {student: index for index, student in enumerate(order)}
    fallback = len(position)
    ranked = {
        mentor: {student: index for index, student in enumerate(ranking)}
        for mentor, ranking in mentor_ranks.items()
        if ranking
    }
    # Ranked students first, then the rest by tie-break position.
    offset = {mentor: len(positions) for mentor, positions in ranked.items()}

    def priority(mentor, student):
        explicit = ranked.get(mentor)
        if explicit is not None:
            index = explicit.get(student)
            if index is not None:
                return index
            return offset[mentor] + position.get(student, fallback)
        return position.get(student, fallback)

    return priority


def stable_match(
    student_prefs,
    capacities,
    mentor_ranks=None,
    not_acceptable=None,
    *,
    pinned=(),
    forbidden=(),
    tie_break=None,
):
    """Match students to mentors; see the module docstring for what holds.

    ``student_prefs``: student -> mentors, best first. ``capacities``: mentor ->
    places; mentors missing here are not available. ``mentor_ranks``: mentor ->
    students, best first (optional). ``not_acceptable``: mentor -> students the
    mentor refuses. ``pinned``: (student, mentor) pairs to use whatever the
    preferences. ``forbidden``: (student, mentor) pairs never to use.
    ``tie_break``: the order that completes mentors' preferences.

    Ids may be any hashable values. Raises MatchingInputError when pins exceed
    a mentor's capacity, name an unavailable mentor, or pin one student twice.
    """
    mentor_ranks = mentor_ranks or {}
    not_acceptable = {mentor: set(students) for mentor, students in (not_acceptable or {}).items()}
    forbidden = set(forbidden)
    students = list(student_prefs)
    priority = _priorities(students, mentor_ranks, tie_break)

    assignment = {}
    room = dict(capacities)
    for student, mentor in pinned:
        if student in assignment:
            raise MatchingInputError(f"student {student!r} is pinned twice")
        if mentor not in room:
            raise MatchingInputError(f"pinned mentor {mentor!r} is not available")
        room[mentor] -= 1
        if room[mentor] < 0:
            raise MatchingInputError(f"pins exceed the capacity of mentor {mentor!r}")
        assignment[student] = mentor

    def why_not(student, mentor):
        if (student, mentor) in forbidden:
            return Why.FORBIDDEN
        if mentor not in room:
            return Why.UNAVAILABLE
        if room[mentor] <= 0:
            return Why.FILLED
        if student in not_acceptable.get(mentor, ()):
            return Why.NOT_ACCEPTABLE
        return None

    held = {mentor: [] for mentor in room}  # heaps of (-priority, order, student)
    order = {student: index for index, student in enumerate(students)}
    next_choice = dict.fromkeys(students, 0)
    free = deque(student for student in students if student not in assignment)
    proposals = 0
    while free:
        student = free.popleft()
        prefs = student_prefs[student]
        while next_choice[student] < len(prefs):
            mentor = prefs[next_choice[student]]
            next_choice[student] += 1
            if why_not(student, mentor) is not None:
                continue
            proposals += 1
            heap = held[mentor]
            key = (-priority(mentor, student), order[student], student)
            if len(heap) < room[mentor]:
                heappush(heap, key)
                break
            if key > heap[0]:
                _, _, displaced = heapreplace(heap, key)
                free.append(displaced)
                break

    for mentor, heap in held.items():
        for _, _, student in heap:
            assignment[student] = mentor

    rank, unmatched = {}, {}
    for student in students:
        prefs = student_prefs[student]
        mentor = assignment.get(student)
        if mentor is not None:
            rank[student] = prefs.index(mentor) + 1 if mentor in prefs else None
            continue
        details = tuple((m, why_not(student, m) or Why.FULL) for m in prefs)
        unmatched[student] = Unmatched(_summarise(details), details)

    load = dict.fromkeys(capacities, 0)
    for mentor in assignment.values():
        load[mentor] += 1
    return MatchingResult(assignment, rank, unmatched, proposals, load)


def _summarise(details):
    if not details:
        return Reason.RANKED_NOBODY
    whys = {why for _, why in details}
    if whys == {Why.FULL}:
        return Reason.ALL_FULL
    if whys <= {Why.NOT_ACCEPTABLE, Why.FORBIDDEN}:
        return Reason.NOT_ACCEPTABLE
    return Reason.MIXED


def blocking_pairs(
    assignment,
    student_prefs,
    capacities,
    mentor_ranks=None,
    not_acceptable=None,
    *,
    pinned=(),
    forbidden=(),
    tie_break=None,
):
    """(student, mentor) pairs that would both rather be together than keep
    ``assignment`` (student -> mentor), under the same completed preferences as
    :func:`stable_match`. Pinned students never block. Sorted for display."""
    mentor_ranks = mentor_ranks or {}
    refused = {mentor: set(students) for mentor, students in (not_acceptable or {}).items()}
    forbidden = set(forbidden)
    pinned_students = {student for student, _ in pinned}
    students = list(student_prefs)
    priority = _priorities(students, mentor_ranks, tie_break)

    load = dict.fromkeys(capacities, 0)
    worst = {}  # mentor -> worst priority among their unpinned students
    for student, mentor in assignment.items():
        load[mentor] = load.get(mentor, 0) + 1
        if student not in pinned_students:
            value = priority(mentor, student)
            worst[mentor] = max(worst.get(mentor, value), value)

    pairs = []
    for student in students:
        if student in pinned_students:
            continue
        prefs = student_prefs[student]
        current = assignment.get(student)
        better = prefs[: prefs.index(current)] if current in prefs else prefs
        if current is not None and current not in prefs:
            continue  # placed by hand off their list: they did not ask for better
        for mentor in better:
            if mentor not in capacities or (student, mentor) in forbidden:
                continue
            if student in refused.get(mentor, ()):
                continue
            has_room = load.get(mentor, 0) < capacities[mentor]
            if has_room or priority(mentor, student) < worst.get(mentor, -1):
                pairs.append((student, mentor))
    return sorted(pairs, key=lambda pair: (str(pair[0]), str(pair[1])))
