"""Moving a student by hand in a matching preview.

The coordinator may override the algorithm; the preview then records the
move as manual with its reason, says what it costs (blocking pairs it
creates, capacity bounds it breaks) and committing keeps it as a manual match.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Stage

from .matching import blocking_pairs
from .matching_levels import LEVELS, MANUAL
from .matching_runs import MatchingError, figures
from .models import MatchingRun, RunStatus


@transaction.atomic
def move_student(*, run, student, mentor, reason, by):
    """Place enrollment ``student`` with ``mentor`` (an engagement, or a group
    in a group-level run; None: leave them unmatched) in the preview ``run``;
    returns the warnings to show.

    Must hold first: ``run`` is a preview of a cycle in selection, both ids
    take part in it, the student was not matched in an earlier round, and
    ``reason`` says why. The move is stored even when it breaks stability or
    a capacity bound: the warnings tell the coordinator what it costs.
    """
    run = MatchingRun.objects.select_for_update().select_related("cycle__program").get(pk=run.pk)
    data, result = run.input_snapshot, run.result
    student, mentor = str(student), (None if mentor is None else str(mentor))
    if run.status != RunStatus.PREVIEW or run.cycle.stage != Stage.SELECTION:
        raise MatchingError(_("Only a preview of a cycle in selection can be changed."))
    if student not in data["students"] or (mentor is not None and mentor not in data["capacities"]):
        raise MatchingError(_("That student or mentor is not part of this matching."))
    if any(str(pinned) == student for pinned, _mentor in data["pinned"]):
        raise MatchingError(_("This student was matched in an earlier round; that stays."))
    if not reason.strip():
        raise MatchingError(_("Say why the student is moved by hand."))

    before = {tuple(pair) for pair in result["blocking_pairs"]}
    previous = result["assignment"].pop(student, None)
    if previous is not None:
        result["load"][str(previous)] -= 1
    result["rank"].pop(student, None)
    result["unmatched"].pop(student, None)
    if mentor is None:
        result["unmatched"][student] = {"reason": MANUAL, "details": []}
    else:
        result["assignment"][student] = int(mentor)
        result["load"][mentor] = result["load"].get(mentor, 0) + 1
        prefs = data["students"][student]
        result["rank"][student] = prefs.index(int(mentor)) + 1 if int(mentor) in prefs else None
    result.setdefault("manual", {})[student] = {
        "mentor": mentor,
        "reason": reason.strip(),
        "by": by.pk,
        "at": timezone.now().isoformat(),
    }
    blocking = _blocking_pairs(data, result)
    result["blocking_pairs"] = blocking
    run.result = result
    run.blocking_pairs_count = len(blocking)
    for name, value in figures(
        run.cycle,
        level=run.level,
        ranks=result["rank"].values(),
        load=result["load"].values(),
        students_count=len(data["students"]),
        matched_count=len(result["assignment"]),
    ).items():
        setattr(run, name, value)
    run.save()
    return _warnings(run, data, result, mentor, previous, before, blocking)


def _blocking_pairs(data, result):
    # JSON turned the ids used as keys into strings; the algorithm wants them as solved.
    def by_int(mapping):
        return {int(key): value for key, value in mapping.items()}

    pairs = blocking_pairs(
        by_int(result["assignment"]),
        by_int(data["students"]),
        by_int(data["capacities"]),
        by_int(data["mentor_ranks"]),
        by_int(data["not_acceptable"]),
        pinned=[tuple(pair) for pair in data["pinned"]],
        tie_break=data["tie_break"],
    )
    return [list(pair) for pair in pairs]


def _warnings(run, data, result, mentor, previous, before, blocking):
    warnings = []
    new_pairs = [pair for pair in blocking if tuple(pair) not in before]
    if new_pairs:
        warnings.append(
            _(
                "This move creates %(count)s blocking pair(s): a student and a mentor "
                "who would both rather be together."
            )
            % {"count": len(new_pairs)}
        )
    spec = LEVELS[run.level]
    if mentor is not None and result["load"][mentor] > data["capacities"][mentor]:
        warnings.append(str(spec.texts["over_capacity"]))
    minimum = spec.minimum(run.cycle)
    if previous is not None and result["load"][str(previous)] < minimum:
        warnings.append(str(spec.texts["under_minimum"]) % {"minimum": minimum})
    return warnings
