"""Two-way selection: students rank mentors (or coaching groups), mentors (or
the groups' chief and leading coaches) judge who ranked them.

Both sides' rankings are replaced as a whole (delete and insert in one
transaction), so the unique-rank constraints never see a half-saved list and
a failed save leaves the stored ranking exactly as it was.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import Stage

from .matching_levels import choosable_groups
from .models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    GroupJudgement,
    GroupPreference,
    MentorPreference,
    StudentPreference,
)

logger = logging.getLogger(__name__)


class SelectionError(Exception):
    """The ranking cannot be changed now or is invalid; the message says why."""


def closed_reason(cycle, now=None):
    """Why rankings in ``cycle`` are read-only, or None while they may change."""
    if cycle.stage != Stage.SELECTION:
        return _("Rankings can only be changed while the cycle is in the selection stage.")
    deadline = cycle.preference_deadline
    if deadline is not None and (now or timezone.now()) > deadline:
        return _("The preference deadline has passed; rankings are read-only.")
    return None


def _check_open(cycle):
    reason = closed_reason(cycle)
    if reason:
        raise SelectionError(reason)


def _applicants(model, **owner):
    """The preference rows of students (not withdrawn) who ranked ``owner``."""
    return (
        model.objects.filter(**owner)
        .exclude(enrollment__status=EnrollmentStatus.WITHDRAWN)
        .select_related("enrollment__student__user")
    )


def applicant_preferences(engagement):
    """The StudentPreference rows of students (not withdrawn) who ranked this mentor."""
    return _applicants(StudentPreference, engagement=engagement)


def group_applicant_preferences(group):
    """The GroupPreference rows of students (not withdrawn) who ranked this group."""
    return _applicants(GroupPreference, group=group)


def tie_break_key(enrollment):
    """The program office's tie-break order, the one the matching uses."""
    # Sorted in Python: PostgreSQL and SQLite disagree on where NULLs sort.
    return (
        enrollment.tie_break is None,
        enrollment.tie_break or 0,
        enrollment.created_at,
        enrollment.pk,
    )


@dataclass(frozen=True)
class Ranked:
    """What a student ranks: the preference model, its field, and the messages."""

    model: type
    field: str
    options: Callable  # cycle -> queryset of what may be ranked
    too_many: str
    twice: str
    foreign: str


MENTORS = Ranked(
    model=StudentPreference,
    field="engagement",
    options=lambda cycle: Engagement.objects.filter(cycle=cycle, status=EngagementStatus.ACCEPTED),
    too_many=gettext_lazy("You can rank at most %(limit)s mentors."),
    twice=gettext_lazy("Each mentor can appear only once in your ranking."),
    foreign=gettext_lazy("You can only rank mentors taking part in this cycle."),
)
GROUPS = Ranked(
    model=GroupPreference,
    field="group",
    options=choosable_groups,
    too_many=gettext_lazy("You can rank at most %(limit)s groups."),
    twice=gettext_lazy("Each group can appear only once in your ranking."),
    foreign=gettext_lazy("You can only rank groups open to students in this cycle."),
)


def _save_ranking(ranked, *, enrollment, ids, by):
    with transaction.atomic():
        # The lock serialises two saves of the same ranking (two tabs, a double
        # click), which would otherwise collide on the unique ranks; the row is
        # read again so a stage move or withdrawal since the page loaded counts.
        locked = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("cycle__program")
            .get(pk=enrollment.pk)
        )
        cycle = locked.cycle
        _check_open(cycle)
        if locked.status == EnrollmentStatus.WITHDRAWN:
            raise SelectionError(_("You have withdrawn from this cycle."))
        limit = cycle.program.preferences_count
        if len(ids) > limit:
            raise SelectionError(str(ranked.too_many) % {"limit": limit})
        if len(set(ids)) != len(ids):
            raise SelectionError(str(ranked.twice))
        valid = set(ranked.options(cycle).filter(pk__in=ids).values_list("pk", flat=True))
        if valid != set(ids):
            raise SelectionError(str(ranked.foreign))
        ranked.model.objects.filter(enrollment=enrollment).delete()
        ranked.model.objects.bulk_create(
            ranked.model(enrollment=enrollment, rank=rank, **{f"{ranked.field}_id": pk})
            for rank, pk in enumerate(ids, start=1)
        )
    logger.info("%s ranking of enrollment %s saved by user %s", ranked.field, enrollment.pk, by.pk)


def save_student_ranking(*, enrollment, engagements, by):
    """Replace the student's ranking of mentors with ``engagements``, best first.

    Must hold first: ``by`` is the enrolled student (checked by the caller with
    ``permissions.get_enrollment_for_user``). Checked here: the cycle is in
    selection before its deadline, the enrollment is not withdrawn, at most the
    program's number of choices, no mentor twice, every mentor accepted in the
    same cycle. Raises SelectionError and changes nothing otherwise.
    """
    _save_ranking(MENTORS, enrollment=enrollment, ids=[e.pk for e in engagements], by=by)


def save_group_ranking(*, enrollment, groups, by):
    """Replace the student's ranking of coaching groups with ``groups``, best first.

    Must hold first: ``by`` is the enrolled student (checked by the caller).
    Checked here as for mentors: open selection, not withdrawn, at most the
    program's number of choices, no group twice, every group of the same cycle
    with student places. Raises SelectionError and changes nothing otherwise.
    """
    _save_ranking(GROUPS, enrollment=enrollment, ids=[g.pk for g in groups], by=by)


def _save_judgement(owner, field, *, model, applicants, refuse, foreign, ranks, not_acceptable):
    """Replace the judgement rows of ``owner`` (an engagement or a group).

    ``refuse(locked owner)`` returns why it may not judge now, or None.
    """
    ranked = [enrollment.pk for enrollment in ranks]
    refused = {enrollment.pk for enrollment in not_acceptable}
    with transaction.atomic():
        # Locked and read again, as for the student's ranking.
        locked = (
            type(owner)
            .objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=owner.pk)
        )
        _check_open(locked.cycle)
        reason = refuse(locked)
        if reason:
            raise SelectionError(reason)
        if len(set(ranked)) != len(ranked):
            raise SelectionError(_("Each student can have only one rank."))
        if refused & set(ranked):
            raise SelectionError(_("A student cannot be both ranked and not acceptable."))
        allowed = set(applicants.values_list("enrollment_id", flat=True))
        if not (set(ranked) | refused) <= allowed:
            raise SelectionError(foreign)
        model.objects.filter(**{field: owner}).delete()
        rows = [
            model(enrollment_id=pk, rank=rank, **{field: owner})
            for rank, pk in enumerate(ranked, start=1)
        ]
        rows += [
            model(enrollment_id=pk, acceptable=False, **{field: owner}) for pk in sorted(refused)
        ]
        model.objects.bulk_create(rows)


def save_mentor_judgement(*, engagement, ranks, not_acceptable, by):
    """Replace the mentor's judgement of the students who ranked them.

    ``ranks``: enrollments, best first (stored as ranks 1..k); ``not_acceptable``:
    enrollments the mentor refuses. Must hold first: ``by`` is the engaged
    mentor (checked by the caller with ``permissions.get_engagement_for_user``).
    Checked here: the cycle is in selection before its deadline, the engagement
    is accepted, every student ranked this mentor, nobody is ranked twice or
    both ranked and refused. Raises SelectionError and changes nothing otherwise.
    """
    _save_judgement(
        engagement,
        "engagement",
        model=MentorPreference,
        applicants=applicant_preferences(engagement),
        refuse=lambda locked: (
            None
            if locked.status == EngagementStatus.ACCEPTED
            else _("Only an accepted engagement can rank students.")
        ),
        foreign=_("You can only judge students who ranked you."),
        ranks=ranks,
        not_acceptable=not_acceptable,
    )
    logger.info("judgement of engagement %s saved by user %s", engagement.pk, by.pk)


def save_group_judgement(*, group, ranks, not_acceptable, by):
    """Replace the group leaders' judgement of the students who ranked the group.

    As :func:`save_mentor_judgement`, for a coaching group. Must hold first:
    ``by`` is a chief or leading coach of ``group`` (checked by the caller
    with ``permissions.get_led_group_for_user``). Checked here: the cycle is
    in selection before its deadline, the group has student places, every
    student ranked the group, nobody is ranked twice or both ranked and
    refused. Raises SelectionError and changes nothing otherwise.
    """
    _save_judgement(
        group,
        "group",
        model=GroupJudgement,
        applicants=group_applicant_preferences(group),
        refuse=lambda locked: (
            None if locked.capacity else _("This group takes no students through the selection.")
        ),
        foreign=_("You can only judge students who ranked your group."),
        ranks=ranks,
        not_acceptable=not_acceptable,
    )
    logger.info("judgement of group %s saved by user %s", group.pk, by.pk)
