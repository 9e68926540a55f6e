"""Running the stable matching on a cycle's data, and committing a preview.

The algorithm itself is in :mod:`mentorship.matching` and knows nothing of the
database; this module loads both sides' rankings, stores what it solved as a
MatchingRun (a preview: live placements are untouched) and commits a preview
in one transaction. The same code serves every MatchingLevel (students to
mentors, students to coaching groups); :mod:`mentorship.matching_levels` says
what differs.
"""

import hashlib
import json
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Cycle, Stage
from programs.table_stats import analyze

from .matching import MatchingInputError, blocking_pairs, stable_match
from .matching_levels import LEVELS
from .models import (
    Enrollment,
    EnrollmentStatus,
    MatchingLevel,
    MatchingRun,
    RunStatus,
)


class MatchingError(Exception):
    """The matching cannot be run or committed now; the message says why."""


def load_input(cycle, level=MatchingLevel.MENTOR):
    """The cycle's matching input at ``level`` as plain JSON-ready data, ids as integers.

    Students are the cycle's enrollments that are not withdrawn; the other
    side is the level's (accepted engagements, or groups with student places).
    Students placed already (an earlier round) are pinned there, so a second
    round only places the rest.
    """
    spec = LEVELS[level]
    capacities = spec.capacities(cycle)
    rows = (
        Enrollment.objects.filter(cycle=cycle)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .values_list("pk", "tie_break", "created_at")
        .order_by()  # the default ordering joins four tables to sort by names
    )
    # Sorted here: PostgreSQL and SQLite disagree on where NULLs sort.
    enrollments = [
        row[0]
        for row in sorted(rows, key=lambda row: (row[1] is None, row[1] or 0, row[2], row[0]))
    ]
    students = {pk: [] for pk in enrollments}
    for enrollment, side in spec.student_ranks(cycle):
        if enrollment in students and side in capacities:
            students[enrollment].append(side)
    side_ranks, not_acceptable = {}, {}
    for side, enrollment, rank, acceptable in spec.judgements(cycle):
        if side not in capacities or enrollment not in students:
            continue
        if not acceptable:
            not_acceptable.setdefault(side, []).append(enrollment)
        elif rank is not None:
            side_ranks.setdefault(side, []).append(enrollment)
    pinned = [
        [enrollment, side] for enrollment, side in spec.placed(cycle) if enrollment in students
    ]
    return {
        "students": students,
        "capacities": capacities,
        "mentor_ranks": side_ranks,
        "not_acceptable": not_acceptable,
        "tie_break": enrollments,
        "pinned": pinned,
    }


def fingerprint(data):
    """A digest of the input, to tell whether it changed since a preview."""
    encoded = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def solve(data):
    """Run the algorithm on loaded input; returns (result, blocking pairs)."""
    arguments = {
        "student_prefs": data["students"],
        "capacities": data["capacities"],
        "mentor_ranks": data["mentor_ranks"],
        "not_acceptable": data["not_acceptable"],
        "pinned": [tuple(pair) for pair in data["pinned"]],
        "tie_break": data["tie_break"],
    }
    result = stable_match(**arguments)
    return result, blocking_pairs(result.assignment, **arguments)


def figures(cycle, *, level, ranks, load, students_count, matched_count):
    """The summary figures of a run from its ranks (student -> rank) and loads."""
    ranks = [rank for rank in ranks if rank is not None]
    minimum = LEVELS[level].minimum(cycle)
    share = (lambda n: n / students_count) if students_count else (lambda n: 0.0)
    return {
        "students_count": students_count,
        "matched_count": matched_count,
        "unmatched_count": students_count - matched_count,
        "first_choice_share": share(ranks.count(1)),
        "top3_share": share(sum(rank <= 3 for rank in ranks)),
        "under_minimum_count": sum(filled < minimum for filled in load),
    }


def run_matching(*, cycle, by, level=MatchingLevel.MENTOR):
    """Solve the cycle's matching at ``level`` and store it as a preview MatchingRun.

    Must hold first: the cycle is in the selection stage and ``by`` may run
    its matching (checked by the caller). Live placements are not changed.
    """
    if cycle.stage != Stage.SELECTION:
        raise MatchingError(_("Matching runs only while the cycle is in selection."))
    data = load_input(cycle, level)
    started = time.perf_counter()
    try:
        result, blocking = solve(data)
    except MatchingInputError as error:
        # Earlier placements are pinned; a side that since left or shrank breaks them.
        raise MatchingError(str(LEVELS[level].texts["unfit"]) % {"detail": error}) from error
    solve_ms = round((time.perf_counter() - started) * 1000)
    stored = {
        "assignment": result.assignment,
        "rank": result.rank,
        "unmatched": {
            student: {"reason": item.reason.value, "details": [list(d) for d in item.details]}
            for student, item in result.unmatched.items()
        },
        "load": result.load,
        "blocking_pairs": [list(pair) for pair in blocking],
    }
    return MatchingRun.objects.create(
        cycle=cycle,
        level=level,
        created_by=by,
        input_snapshot=data,
        fingerprint=fingerprint(data),
        result=stored,
        blocking_pairs_count=len(blocking),
        solve_ms=solve_ms,
        **figures(
            cycle,
            level=level,
            ranks=result.rank.values(),
            load=result.load.values(),
            students_count=len(data["students"]),
            matched_count=len(result.assignment),
        ),
    )


def commit_refusal(run, cycle, *, check_input=True):
    """Why ``run`` of ``cycle`` cannot be committed now, or None. For the
    confirmation page; commit_run asks again under its locks.

    ``check_input=False`` leaves out whether the rankings changed since the
    run (loading them takes a second at 11,000 students): for the confirming
    POST, whose commit_run checks that under its locks anyway.
    """
    if cycle.stage != Stage.SELECTION:
        return _("Matches can be committed only while the cycle is in selection.")
    if run.status != RunStatus.PREVIEW:
        return _("This matching run was already committed or discarded.")
    if check_input and fingerprint(load_input(cycle, run.level)) != run.fingerprint:
        return str(LEVELS[run.level].texts["stale"])
    return None


@transaction.atomic
def commit_run(*, run, by):
    """Turn a preview into live placements (Matches, or student group
    memberships for a group-level run), all or nothing.

    Must hold first: ``run`` is a preview of a cycle still in selection, and
    nothing it was solved from has changed since (else run the matching
    again). Placed students' enrollments become matched, the rest waitlisted
    for a second round; earlier placements stay as they were.
    """
    cycle = Cycle.objects.select_for_update().select_related("program").get(pk=run.cycle_id)
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    spec = LEVELS[run.level]
    refusal = commit_refusal(run, cycle)
    if refusal:
        raise MatchingError(refusal)
    # The input is as the run saw it: its pinned students are placed already.
    pinned = {int(student) for student, _side in run.input_snapshot["pinned"]}
    spec.create(
        run=run,
        assignment={
            int(s): int(m) for s, m in run.result["assignment"].items() if int(s) not in pinned
        },
        ranks=run.result["rank"],
        manual=run.result.get("manual", {}),
        by=by,
    )
    # Thousands of rows just inserted: later queries (publishing) plan from fresh statistics.
    analyze([spec.model])
    # The run's students are the cycle's enrollments not withdrawn (the input
    # is unchanged): set-based, so thousands of ids never travel in a statement.
    placed = spec.is_placed(cycle)
    students = Enrollment.objects.filter(cycle=cycle).exclude(status=EnrollmentStatus.WITHDRAWN)
    students.filter(placed).exclude(status=EnrollmentStatus.MATCHED).update(
        status=EnrollmentStatus.MATCHED
    )
    students.exclude(placed).exclude(status=EnrollmentStatus.WAITLISTED).update(
        status=EnrollmentStatus.WAITLISTED
    )
    MatchingRun.objects.filter(cycle=cycle, level=run.level, status=RunStatus.PREVIEW).exclude(
        pk=run.pk
    ).update(status=RunStatus.DISCARDED)
    run.status = RunStatus.COMMITTED
    run.committed_by = by
    run.committed_at = timezone.now()
    run.save(update_fields=["status", "committed_by", "committed_at"])
    return run
