"""Running the stable matching on a cycle's data, and committing a preview.

The algorithm itself is in :mod:`mentorship.matching` and knows nothing of the
database; this module loads both sides' rankings, stores what it solved as a
MatchingRun (a preview: live matches are untouched) and turns a preview into
Matches in one transaction.
"""

import hashlib
import json
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import Cycle, Stage

from .matching import MatchingInputError, Reason, Why, blocking_pairs, stable_match
from .models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    Match,
    MatchingRun,
    MatchSource,
    MentorPreference,
    RunStatus,
    StudentPreference,
)

# An unmatched reason of our own: the coordinator took the student out by hand.
MANUAL = "manual"
REASON_LABELS = {
    MANUAL: gettext_lazy("left unmatched by hand"),
    Reason.RANKED_NOBODY: gettext_lazy("ranked no mentor"),
    Reason.ALL_FULL: gettext_lazy("every mentor they ranked was full of students they preferred"),
    Reason.NOT_ACCEPTABLE: gettext_lazy("every mentor they ranked found them not acceptable"),
    Reason.MIXED: gettext_lazy("no mentor they ranked took them; see each mentor"),
}
WHY_LABELS = {
    Why.FULL: gettext_lazy("full of students this mentor preferred"),
    Why.NOT_ACCEPTABLE: gettext_lazy("found them not acceptable"),
    Why.FORBIDDEN: gettext_lazy("pair forbidden by the program office"),
    Why.UNAVAILABLE: gettext_lazy("not taking students in this run"),
}


class MatchingError(Exception):
    """The matching cannot be run or committed now; the message says why."""


def load_input(cycle):
    """The cycle's matching input as plain JSON-ready data, ids as integers.

    Students are the cycle's enrollments that are not withdrawn; mentors its
    accepted engagements. Students matched already (an earlier round) are
    pinned to their mentor, so a second round only places the rest.
    """
    engagements = dict(
        Engagement.objects.filter(cycle=cycle, status=EngagementStatus.ACCEPTED).values_list(
            "pk", "capacity"
        )
    )
    rows = (
        Enrollment.objects.filter(cycle=cycle)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .values_list("pk", "tie_break", "created_at")
    )
    # Sorted here: PostgreSQL and SQLite disagree on where NULLs sort.
    enrollments = [
        row[0]
        for row in sorted(rows, key=lambda row: (row[1] is None, row[1] or 0, row[2], row[0]))
    ]
    students = {pk: [] for pk in enrollments}
    for enrollment, engagement in (
        StudentPreference.objects.filter(enrollment__cycle=cycle)
        .order_by("enrollment", "rank")
        .values_list("enrollment", "engagement")
    ):
        if enrollment in students and engagement in engagements:
            students[enrollment].append(engagement)
    mentor_ranks, not_acceptable = {}, {}
    for engagement, enrollment, rank, acceptable in (
        MentorPreference.objects.filter(engagement__cycle=cycle)
        .order_by("engagement", "rank")
        .values_list("engagement", "enrollment", "rank", "acceptable")
    ):
        if engagement not in engagements or enrollment not in students:
            continue
        if not acceptable:
            not_acceptable.setdefault(engagement, []).append(enrollment)
        elif rank is not None:
            mentor_ranks.setdefault(engagement, []).append(enrollment)
    pinned = [
        [enrollment, engagement]
        for enrollment, engagement in Match.objects.filter(
            enrollment__cycle=cycle, enrollment__in=enrollments
        ).values_list("enrollment", "engagement")
    ]
    return {
        "students": students,
        "capacities": engagements,
        "mentor_ranks": mentor_ranks,
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


def figures(cycle, *, ranks, load, students_count, matched_count):
    """The summary figures of a run from its ranks (student -> rank) and loads."""
    ranks = [rank for rank in ranks if rank is not None]
    minimum = cycle.program.mentor_capacity_min
    share = (lambda n: n / students_count) if students_count else (lambda n: 0.0)
    return {
        "students_count": students_count,
        "matched_count": matched_count,
        "unmatched_count": students_count - matched_count,
        "first_choice_share": share(ranks.count(1)),
        "top3_share": share(sum(rank <= 3 for rank in ranks)),
        "under_minimum_count": sum(filled < minimum for filled in load),
    }


def run_matching(*, cycle, by):
    """Solve the cycle's matching and store it as a preview MatchingRun.

    Must hold first: the cycle is in the selection stage and ``by`` may run
    its matching (checked by the caller). Live matches are not changed.
    """
    if cycle.stage != Stage.SELECTION:
        raise MatchingError(_("Matching runs only while the cycle is in selection."))
    data = load_input(cycle)
    started = time.perf_counter()
    try:
        result, blocking = solve(data)
    except MatchingInputError as error:
        # Earlier matches are pinned; a mentor who since left or shrank breaks them.
        raise MatchingError(
            _("Earlier matches no longer fit the mentors' contracts: %(detail)s")
            % {"detail": error}
        ) from error
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
        created_by=by,
        input_snapshot=data,
        fingerprint=fingerprint(data),
        result=stored,
        blocking_pairs_count=len(blocking),
        solve_ms=solve_ms,
        **figures(
            cycle,
            ranks=result.rank.values(),
            load=result.load.values(),
            students_count=len(data["students"]),
            matched_count=len(result.assignment),
        ),
    )


@transaction.atomic
def commit_run(*, run, by):
    """Turn a preview into the cycle's Matches, all or nothing.

    Must hold first: ``run`` is a preview of a cycle still in selection, and
    nothing it was solved from has changed since (else run the matching
    again). Matched students' enrollments become matched, the rest waitlisted
    for a second round; earlier matches stay as they were.
    """
    cycle = Cycle.objects.select_for_update().get(pk=run.cycle_id)
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    if cycle.stage != Stage.SELECTION:
        raise MatchingError(_("Matches can be committed only while the cycle is in selection."))
    if run.status != RunStatus.PREVIEW:
        raise MatchingError(_("This matching run was already committed or discarded."))
    if fingerprint(load_input(cycle)) != run.fingerprint:
        raise MatchingError(
            _("Rankings, mentors or students changed since this preview; run the matching again.")
        )
    assignment = {int(s): int(m) for s, m in run.result["assignment"].items()}
    ranks = run.result["rank"]
    manual = run.result.get("manual", {})
    existing = set(
        Match.objects.filter(enrollment__cycle=cycle).values_list("enrollment", flat=True)
    )
    Match.objects.bulk_create(
        Match(
            enrollment_id=student,
            engagement_id=mentor,
            source=MatchSource.MANUAL if str(student) in manual else MatchSource.ALGORITHM,
            reason=manual.get(str(student), {}).get("reason", ""),
            run=run,
            rank=ranks.get(str(student)),
            created_by=by,
        )
        for student, mentor in assignment.items()
        if student not in existing
    )
    Enrollment.objects.filter(pk__in=assignment).update(status=EnrollmentStatus.MATCHED)
    unmatched = [int(student) for student in run.result["unmatched"]]
    Enrollment.objects.filter(pk__in=unmatched).update(status=EnrollmentStatus.WAITLISTED)
    MatchingRun.objects.filter(cycle=cycle, status=RunStatus.PREVIEW).exclude(pk=run.pk).update(
        status=RunStatus.DISCARDED
    )
    run.status = RunStatus.COMMITTED
    run.committed_by = by
    run.committed_at = timezone.now()
    run.save(update_fields=["status", "committed_by", "committed_at"])
    return run


def describe_run(run):
    """What the preview page shows of ``run``, with names, in three queries.

    Returns students (name, mentor, rank; matched first by rank), mentors
    (filled/capacity, below the program's minimum), the unmatched with their
    reason and per-mentor details, and the blocking pairs.
    """
    result, data = run.result, run.input_snapshot
    enrollment_ids = [int(pk) for pk in data["students"]]
    engagement_ids = [int(pk) for pk in data["capacities"]]
    students = {
        e.pk: e
        for e in Enrollment.objects.filter(pk__in=enrollment_ids).select_related(
            "student__user", "cycle__program"
        )
    }
    mentors = {
        e.pk: e
        for e in Engagement.objects.filter(pk__in=engagement_ids).select_related(
            "mentor__user", "cycle__program"
        )
    }
    minimum = run.cycle.program.mentor_capacity_min
    assignment = {int(s): int(m) for s, m in result["assignment"].items()}
    pinned = {int(s) for s, _ in data["pinned"]}
    manual = result.get("manual", {})
    matched = sorted(
        (
            {
                "student": students.get(s),
                "mentor": mentors.get(m),
                "rank": result["rank"].get(str(s)),
                "pinned": s in pinned,
                "manual": manual.get(str(s), {}).get("reason"),
            }
            for s, m in assignment.items()
        ),
        key=lambda row: (row["rank"] or 99, str(row["student"])),
    )
    load = {int(m): n for m, n in result["load"].items()}
    mentor_rows = sorted(
        (
            {
                "mentor": mentors.get(m),
                "filled": load.get(m, 0),
                "capacity": capacity,
                "under_minimum": load.get(m, 0) < minimum,
            }
            for m, capacity in ((int(k), v) for k, v in data["capacities"].items())
        ),
        key=lambda row: (not row["under_minimum"], str(row["mentor"])),
    )
    unmatched = [
        {
            "student": students.get(int(s)),
            "reason": REASON_LABELS[item["reason"]],
            "manual": manual.get(s, {}).get("reason"),
            "details": [(mentors.get(int(m)), WHY_LABELS[why]) for m, why in item["details"]],
        }
        for s, item in sorted(result["unmatched"].items(), key=lambda kv: int(kv[0]))
    ]
    blocking = [(students.get(int(s)), mentors.get(int(m))) for s, m in result["blocking_pairs"]]
    return {
        "students": sorted(students.values(), key=str),
        "mentor_choices": sorted(mentors.values(), key=str),
        "matched": matched,
        "mentors": mentor_rows,
        "unmatched": unmatched,
        "blocking": blocking,
        "minimum": minimum,
    }
