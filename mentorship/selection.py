"""Two-way selection: students rank mentors, mentors judge who ranked them.

Both sides' rankings are replaced as a whole (delete and insert in one
transaction), so the unique-rank constraints never see a half-saved list and
a failed save leaves the stored ranking exactly as it was.
"""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Stage

from .models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
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


def applicant_preferences(engagement):
    """The StudentPreference rows of students (not withdrawn) who ranked this mentor."""
    return (
        StudentPreference.objects.filter(engagement=engagement)
        .exclude(enrollment__status=EnrollmentStatus.WITHDRAWN)
        .select_related("enrollment__student__user")
    )


def tie_break_key(enrollment):
    """The program office's tie-break order, the one the matching uses."""
    # Sorted in Python: PostgreSQL and SQLite disagree on where NULLs sort.
    return (
        enrollment.tie_break is None,
        enrollment.tie_break or 0,
        enrollment.created_at,
        enrollment.pk,
    )


def save_student_ranking(*, enrollment, engagements, by):
    """Replace the student's ranking of mentors with ``engagements``, best first.

    Must hold first: ``by`` is the enrolled student (checked by the caller with
    ``permissions.get_enrollment_for_user``). Checked here: the cycle is in
    selection before its deadline, the enrollment is not withdrawn, at most the
    program's number of choices, no mentor twice, every mentor accepted in the
    same cycle. Raises SelectionError and changes nothing otherwise.
    """
    ids = [engagement.pk for engagement in engagements]
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
            raise SelectionError(_("You can rank at most %(limit)s mentors.") % {"limit": limit})
        if len(set(ids)) != len(ids):
            raise SelectionError(_("Each mentor can appear only once in your ranking."))
        valid = set(
            Engagement.objects.filter(
                pk__in=ids, cycle=cycle, status=EngagementStatus.ACCEPTED
            ).values_list("pk", flat=True)
        )
        if valid != set(ids):
            raise SelectionError(_("You can only rank mentors taking part in this cycle."))
        StudentPreference.objects.filter(enrollment=enrollment).delete()
        StudentPreference.objects.bulk_create(
            StudentPreference(enrollment=enrollment, engagement_id=pk, rank=rank)
            for rank, pk in enumerate(ids, start=1)
        )
    logger.info("ranking of enrollment %s saved by user %s", enrollment.pk, by.pk)


def save_mentor_judgement(*, engagement, ranks, not_acceptable, by):
    """Replace the mentor's judgement of the students who ranked them.

    ``ranks``: enrollments, best first (stored as ranks 1..k); ``not_acceptable``:
    enrollments the mentor refuses. Must hold first: ``by`` is the engaged
    mentor (checked by the caller with ``permissions.get_engagement_for_user``).
    Checked here: the cycle is in selection before its deadline, the engagement
    is accepted, every student ranked this mentor, nobody is ranked twice or
    both ranked and refused. Raises SelectionError and changes nothing otherwise.
    """
    ranked = [enrollment.pk for enrollment in ranks]
    refused = {enrollment.pk for enrollment in not_acceptable}
    with transaction.atomic():
        # Locked and read again, as for the student's ranking.
        locked = (
            Engagement.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=engagement.pk)
        )
        _check_open(locked.cycle)
        if locked.status != EngagementStatus.ACCEPTED:
            raise SelectionError(_("Only an accepted engagement can rank students."))
        if len(set(ranked)) != len(ranked):
            raise SelectionError(_("Each student can have only one rank."))
        if refused & set(ranked):
            raise SelectionError(_("A student cannot be both ranked and not acceptable."))
        allowed = set(applicant_preferences(engagement).values_list("enrollment_id", flat=True))
        if not (set(ranked) | refused) <= allowed:
            raise SelectionError(_("You can only judge students who ranked you."))
        MentorPreference.objects.filter(engagement=engagement).delete()
        rows = [
            MentorPreference(engagement=engagement, enrollment_id=pk, rank=rank)
            for rank, pk in enumerate(ranked, start=1)
        ]
        rows += [
            MentorPreference(engagement=engagement, enrollment_id=pk, acceptable=False)
            for pk in sorted(refused)
        ]
        MentorPreference.objects.bulk_create(rows)
    logger.info("judgement of engagement %s saved by user %s", engagement.pk, by.pk)
