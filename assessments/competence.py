"""Competence self-assessment: windows, descriptors, saving and the overview.

Windows (by cycle stage). The start assessment is open in kick-off and
process tracking, so a student placed late still records a baseline; it
closes once the student has submitted the end assessment. The end
assessment is open in process tracking only, after the start one: it must
be in before the final evaluation reads it. A student may correct a
submitted assessment while its window is open. Mentors rate the start from
kick-off and the end from process tracking, both until the final
evaluation ends (they judge with the evidence of the whole cycle).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mentorship.models import Enrollment, EnrollmentStatus
from mentorship.publishing import published_matches
from programs.models import CompetenceDimension, Stage

from .models import LevelDescriptor, MentorRating, Moment, Rating, SelfAssessment
from .models.competence import LEVELS

STUDENT_STAGES = {
    Moment.START: (Stage.KICK_OFF, Stage.TRACKING),
    Moment.END: (Stage.TRACKING,),
}
MENTOR_STAGES = {
    Moment.START: (Stage.KICK_OFF, Stage.TRACKING, Stage.EVALUATION),
    Moment.END: (Stage.TRACKING, Stage.EVALUATION),
}
# Stages in which the home page reminds a student of their self-assessment.
HOME_STAGES = (Stage.KICK_OFF, Stage.TRACKING, Stage.EVALUATION)

GENERIC_DESCRIPTORS = {
    1: gettext_noop("Beginning"),
    2: gettext_noop("Developing"),
    3: gettext_noop("Competent"),
    4: gettext_noop("Proficient"),
    5: gettext_noop("Excellent"),
}
SEED_DESCRIPTORS = {
    "self_awareness": {
        1: gettext_noop("I have not yet thought about my strengths, values and interests."),
        2: gettext_noop("I can name a few strengths or interests, but not clearly."),
        3: gettext_noop("I know my main strengths, values and interests."),
        4: gettext_noop("I can explain how my strengths and values shape my choices."),
        5: gettext_noop("A clear picture of myself guides my career decisions."),
    },
    "career_exploration": {
        1: gettext_noop("I know little about the industries and roles open to me."),
        2: gettext_noop("I have read about a few industries or roles."),
        3: gettext_noop("I have explored target industries and talked to people in them."),
        4: gettext_noop("I compare roles actively, through contacts, visits or internships."),
        5: gettext_noop("I know well the roles I want and how to reach them."),
    },
    "decision_making": {
        1: gettext_noop("I have no career goal yet."),
        2: gettext_noop("I have ideas but no concrete goal."),
        3: gettext_noop("I have set a goal and the first steps towards it."),
        4: gettext_noop("I have goals with milestones, and I act on them."),
        5: gettext_noop(
            "I make and revise career decisions confidently, with a plan and a timeline."
        ),
    },
}


class CompetenceError(Exception):
    """The assessment cannot be saved now; the message says why."""


def default_descriptor(dimension, level):
    """The built-in text of ``level``, in the reader's language: a seed
    dimension's own, or a generic one for a dimension a program added."""
    texts = SEED_DESCRIPTORS.get(dimension.code, GENERIC_DESCRIPTORS)
    return _(texts[level])


def default_descriptor_rows(dimension):
    """Unsaved LevelDescriptor rows with the defaults, for a coordinator to start from."""
    return [
        LevelDescriptor(dimension=dimension, level=level, text=default_descriptor(dimension, level))
        for level in LEVELS
    ]


def dimensions_prefetch(to_attr="dimensions"):
    """Prefetch for programs: their dimensions in order, with descriptors."""
    return Prefetch(
        "competencedimension_set",
        queryset=CompetenceDimension.objects.order_by("position", "pk").prefetch_related(
            "level_descriptors"
        ),
        to_attr=to_attr,
    )


def level_choices(dimension):
    """(level, "level · descriptor") for each level; descriptors prefetched."""
    own = {row.level: row.text for row in dimension.level_descriptors.all()}
    return [
        (level, f"{level} · {own.get(level) or default_descriptor(dimension, level)}")
        for level in LEVELS
    ]


def student_closed_reason(*, enrollment, moment, submitted):
    """Why the student may not save ``moment`` now, or "" when they may.
    ``submitted`` is the set of moments they have already submitted."""
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        return _("You have withdrawn from this cycle.")
    if enrollment.cycle.stage not in STUDENT_STAGES[moment]:
        if moment == Moment.START:
            return _("The start assessment is open during kick-off and process tracking.")
        return _("The end assessment is open during process tracking, before the final evaluation.")
    if moment == Moment.START and Moment.END in submitted:
        return _("You have already assessed yourself at the end of the cycle.")
    if moment == Moment.END and Moment.START not in submitted:
        return _("Assess yourself at the start of the cycle first.")
    return ""


def mentor_closed_reason(*, enrollment, moment):
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        return _("The student has withdrawn from this cycle.")
    if enrollment.cycle.stage not in MENTOR_STAGES[moment]:
        if moment == Moment.START:
            return _("Ratings at the start are open from kick-off until the final evaluation ends.")
        return _(
            "Ratings at the end are open from process tracking until the final evaluation ends."
        )
    return ""


def _check_levels(dimensions, levels):
    if not dimensions:
        raise CompetenceError(_("The program has no competence dimensions to assess."))
    missing = [d for d in dimensions if levels.get(d.pk, (None,))[0] not in LEVELS]
    if missing:
        raise CompetenceError(
            _("Choose a level from 1 to 5 for every dimension: %(names)s.")
            % {"names": ", ".join(d.label for d in missing)}
        )


def _program_dimensions(enrollment):
    return list(CompetenceDimension.objects.filter(program_id=enrollment.cycle.program_id))


@transaction.atomic
def save_self_assessment(*, enrollment, moment, levels, now=None):
    """Save the student's ratings for ``moment``.

    ``levels`` maps every dimension id of the cycle's program to (level, note).
    First the window must be open (:func:`student_closed_reason`); otherwise,
    or with a dimension missing or out of range, CompetenceError and nothing changes.
    """
    # Lock the enrollment: two tabs submitting at once make one assessment.
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    submitted = set(
        SelfAssessment.objects.filter(enrollment=enrollment).values_list("moment", flat=True)
    )
    reason = student_closed_reason(enrollment=enrollment, moment=moment, submitted=submitted)
    if reason:
        raise CompetenceError(reason)
    dimensions = _program_dimensions(enrollment)
    _check_levels(dimensions, levels)
    assessment, created = SelfAssessment.objects.get_or_create(
        enrollment=enrollment, moment=moment, defaults={"submitted_at": now or timezone.now()}
    )
    if not created:
        assessment.submitted_at = now or timezone.now()
        assessment.save(update_fields=["submitted_at"])
    for dimension in dimensions:
        level, note = levels[dimension.pk]
        Rating.objects.update_or_create(
            self_assessment=assessment,
            dimension=dimension,
            defaults={"level": level, "note": note},
        )
    return assessment


@transaction.atomic
def save_mentor_ratings(*, enrollment, mentor, moment, levels):
    """Save ``mentor``'s ratings of their mentee for ``moment``.

    First ``mentor`` must be the mentor of the enrollment's published match
    (the permission helper checks) and the window open
    (:func:`mentor_closed_reason`); ``levels`` as for :func:`save_self_assessment`.
    """
    reason = mentor_closed_reason(enrollment=enrollment, moment=moment)
    if reason:
        raise CompetenceError(reason)
    dimensions = _program_dimensions(enrollment)
    _check_levels(dimensions, levels)
    for dimension in dimensions:
        level, comment = levels[dimension.pk]
        MentorRating.objects.update_or_create(
            enrollment=enrollment,
            dimension=dimension,
            moment=moment,
            by=mentor,
            defaults={"level": level, "comment": comment},
        )


@dataclass
class DimensionRow:
    dimension: object
    start: object = None  # Rating
    end: object = None
    mentor_start: object = None  # MentorRating
    mentor_end: object = None

    @property
    def mentor_comment(self):
        """The mentor's latest comment."""
        for rating in (self.mentor_end, self.mentor_start):
            if rating and rating.comment:
                return rating.comment
        return ""

    @property
    def change(self):
        if self.start and self.end:
            return self.end.level - self.start.level
        return None


@dataclass
class CompetenceRecord:
    """One enrollment's assessments, dimension by dimension."""

    enrollment: object
    dimensions: list
    submitted: dict = field(default_factory=dict)  # moment -> SelfAssessment
    rows: list = field(default_factory=list)

    def closed_reason(self, moment):
        return student_closed_reason(
            enrollment=self.enrollment, moment=moment, submitted=set(self.submitted)
        )

    def initial(self, moment):
        """Form initial values from what was submitted for ``moment``."""
        values = {}
        for row in self.rows:
            rating = getattr(row, moment)
            if rating:
                values[f"level_{row.dimension.pk}"] = rating.level
                values[f"note_{row.dimension.pk}"] = rating.note
        return values


def competence_records(enrollments, *, mentor=None):
    """A CompetenceRecord per enrollment, in a fixed number of queries.

    ``enrollments`` must select ``cycle__program``. Mentor ratings shown are
    those of the enrollment's current mentor, or of ``mentor`` when given.
    """
    enrollments = list(
        enrollments.prefetch_related(
            Prefetch(
                "self_assessments",
                queryset=SelfAssessment.objects.prefetch_related("ratings"),
            ),
            Prefetch(
                "mentor_ratings",
                queryset=MentorRating.objects.select_related("by"),
            ),
            Prefetch(
                "match",
                queryset=published_matches().select_related("engagement"),
                to_attr="published_match",
            ),
        )
    )
    program_ids = {enrollment.cycle.program_id for enrollment in enrollments}
    dimensions = {}
    for dimension in (
        CompetenceDimension.objects.filter(program_id__in=program_ids)
        .order_by("position", "pk")
        .prefetch_related("level_descriptors")
    ):
        dimensions.setdefault(dimension.program_id, []).append(dimension)
    records = []
    for enrollment in enrollments:
        if mentor is not None:
            rater = mentor.pk
        elif enrollment.published_match:
            rater = enrollment.published_match.engagement.mentor_id
        else:
            rater = None
        record = CompetenceRecord(
            enrollment=enrollment, dimensions=dimensions.get(enrollment.cycle.program_id, [])
        )
        ratings = {}
        for assessment in enrollment.self_assessments.all():
            record.submitted[assessment.moment] = assessment
            for rating in assessment.ratings.all():
                ratings[(assessment.moment, rating.dimension_id)] = rating
        by_mentor = {
            (r.moment, r.dimension_id): r
            for r in enrollment.mentor_ratings.all()
            if r.by_id == rater
        }
        for dimension in record.dimensions:
            record.rows.append(
                DimensionRow(
                    dimension=dimension,
                    start=ratings.get((Moment.START, dimension.pk)),
                    end=ratings.get((Moment.END, dimension.pk)),
                    mentor_start=by_mentor.get((Moment.START, dimension.pk)),
                    mentor_end=by_mentor.get((Moment.END, dimension.pk)),
                )
            )
        records.append(record)
    return records


def student_competence_records(*, user):
    """The signed-in student's records, newest cycle first; cycles still
    choosing mentors or groups have nothing to assess yet."""
    return competence_records(
        Enrollment.objects.for_user(user)
        .exclude(cycle__stage__in=[Stage.SETUP, Stage.SELECTION])
        .select_related("cycle__program")
        .order_by("-cycle__starts_on", "pk")
    )


def home_competence(user):
    """The student home's self-assessment status: enrollments whose cycle is
    under way, each marked with what is done and what is open. One query."""
    done = SelfAssessment.objects.filter(enrollment=OuterRef("pk"))
    enrollments = (
        Enrollment.objects.for_user(user)
        .active()
        .filter(cycle__stage__in=HOME_STAGES)
        .select_related("cycle__program")
        .annotate(
            start_done=Exists(done.filter(moment=Moment.START)),
            end_done=Exists(done.filter(moment=Moment.END)),
        )
        .order_by("-cycle__starts_on", "pk")
    )
    items = []
    for enrollment in enrollments:
        submitted = {
            moment
            for moment, is_done in (
                (Moment.START, enrollment.start_done),
                (Moment.END, enrollment.end_done),
            )
            if is_done
        }
        items.append(
            {
                "enrollment": enrollment,
                "start_done": enrollment.start_done,
                "end_done": enrollment.end_done,
                "start_open": not student_closed_reason(
                    enrollment=enrollment, moment=Moment.START, submitted=submitted
                ),
                "end_open": not student_closed_reason(
                    enrollment=enrollment, moment=Moment.END, submitted=submitted
                ),
            }
        )
    return items
