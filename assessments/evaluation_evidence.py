"""The evidence behind one score: the rows a measure counted for one subject,
with the figure recomputed from those rows (equal to the score's ``raw`` as
long as the records have not changed since the computation).

Each reads the same querysets as the measures (assessments.evaluation_sources)
at the moment the evaluation describes (its ``computed_at``).
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.models import Enrollment
from mentorship.models.opportunities import RecipientStatus
from programs.evaluation_rules import Measure as M
from programs.models import CompetenceDimension
from sessions_app.models import Attendance

from . import evaluation_sources as sources
from .evaluation import trimmed_mean
from .models import Judgment, Review, ReviewDecision, Standing
from .models.subjects import SUBJECT_FIELDS
from .survey_stats import SATISFIED, surveyed_enrollments


@dataclass
class Evidence:
    columns: list
    rows: list  # lists of cells, already text or numbers
    figure: float | None


def _when(moment):
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _yes(flag):
    return _("yes") if flag else _("no")


def _share(part, whole):
    return part / whole if whole else None


def _mean(values):
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None


def deliverables(cycle, now, enrollment):
    required = list(sources.required_requirements(cycle).select_related("kind"))
    decision = Review.objects.filter(submission=OuterRef("pk")).exclude(
        decision=ReviewDecision.COMMENT
    )
    versions = (
        enrollment.submissions.filter(requirement__in=required)
        .annotate(decision=Subquery(decision.values("decision")[:1]))
        .select_related("requirement__kind")
        .order_by("requirement__due_at", "requirement", "number")
    )
    decisions = dict(ReviewDecision.choices)
    rows, met = [], set()
    for version in versions:
        counts = not version.late and version.decision == ReviewDecision.ACCEPTED
        if counts:
            met.add(version.requirement_id)
        label = version.requirement.kind.label
        shown = decisions.get(version.decision, "–")
        rows.append(
            [
                label,
                version.number,
                _when(version.submitted_at),
                _yes(version.late),
                shown,
                _yes(counts),
            ]
        )
    columns = [
        _("Deliverable"),
        _("Version"),
        _("Submitted"),
        _("Late"),
        _("Decision"),
        _("Counts"),
    ]
    return Evidence(columns, rows, _share(len(met), len(required)))


def _meeting_rows(participations):
    return [
        [_when(p.meeting.starts_at), str(p.meeting.author), p.meeting.get_mode_display()]
        for p in participations
    ]


def meetings(cycle, now, enrollment):
    found = list(
        sources.confirmed_participations(cycle)
        .filter(student=enrollment.student_id)
        .select_related("meeting__author__user")
        .order_by("meeting__starts_at")
    )
    figure = len({p.meeting_id for p in found})
    return Evidence([_("Meeting"), _("Mentor"), _("Mode")], _meeting_rows(found), figure)


def meeting_spread(cycle, now, enrollment):
    found = list(
        sources.spread_participations(cycle, now)
        .filter(student=enrollment.student_id)
        .select_related("meeting__author__user")
        .order_by("meeting__starts_at")
    )
    months = {timezone.localtime(p.meeting.starts_at).strftime("%Y-%m") for p in found}
    rows = [
        [*row, timezone.localtime(p.meeting.starts_at).strftime("%Y-%m")]
        for row, p in zip(_meeting_rows(found), found, strict=True)
    ]
    columns = [_("Meeting"), _("Mentor"), _("Mode"), _("Month")]
    return Evidence(columns, rows, len(months))


def attendance(cycle, now, enrollment):
    found = list(
        sources.expected_attendance(cycle, now)
        .filter(user=enrollment.student.user_id)
        .select_related("activity")
        .order_by("activity__starts_at")
    )
    present = sum(r.attendance == Attendance.PRESENT for r in found)
    rows = [
        [r.activity.title, _when(r.activity.starts_at), r.get_attendance_display()] for r in found
    ]
    return Evidence(
        [_("Activity"), _("Starts"), _("Attendance")], rows, _share(present, len(found))
    )


def opportunities(cycle, now, enrollment):
    found = list(
        sources.received_recommendations(cycle)
        .filter(enrollment=enrollment)
        .select_related("opportunity")
        .order_by("opportunity__created_at")
    )
    acted = sum(r.status != RecipientStatus.NEW for r in found)
    rows = [[str(r.opportunity), r.get_status_display()] for r in found]
    return Evidence([_("Recommendation"), _("Status")], rows, _share(acted, len(found)))


def competence_growth(cycle, now, enrollment):
    found = list(sources.rating_pairs(cycle).filter(self_assessment__enrollment=enrollment))
    dimensions = CompetenceDimension.objects.in_bulk([row["dimension"] for row in found])
    found.sort(key=lambda row: (dimensions[row["dimension"]].position, row["dimension"]))
    changes = [row["end_level"] - row["start_level"] for row in found]
    rows = [
        [dimensions[row["dimension"]].label, row["start_level"], row["end_level"], change]
        for row, change in zip(found, changes, strict=True)
    ]
    columns = [_("Dimension"), _("Start"), _("End"), _("Change")]
    return Evidence(columns, rows, _mean(changes))


def _totals_rows(evaluation, enrollments):
    totals = dict(
        Standing.objects.filter(evaluation=evaluation, enrollment__in=enrollments).values_list(
            "enrollment", "total"
        )
    )
    rows = [[str(e.student), totals.get(e.pk)] for e in enrollments]
    return Evidence([_("Student"), _("Total")], rows, _mean(totals.get(e.pk) for e in enrollments))


def mentee_results(cycle, now, engagement, evaluation):
    mentees = Enrollment.objects.filter(
        pk__in=sources.published_mentees(cycle).filter(engagement=engagement).values("enrollment")
    ).select_related("student__user")
    return _totals_rows(evaluation, list(mentees))


def member_results(cycle, now, group, evaluation):
    members = surveyed_enrollments(cycle).filter(
        student__in=sources.member_students(cycle).filter(group=group).values("student")
    )
    return _totals_rows(evaluation, list(members.select_related("student__user")))


def meetings_logged(cycle, now, engagement):
    found = list(
        sources.confirmed_meetings(cycle)
        .filter(author=engagement.mentor_id)
        .order_by("starts_at")
        .prefetch_related("participants__student__user")
    )
    rows = [
        [
            _when(m.starts_at),
            m.get_mode_display(),
            ", ".join(str(p.student) for p in m.participants.all()),
        ]
        for m in found
    ]
    return Evidence([_("Meeting"), _("Mode"), _("Students")], rows, len(found))


def reviews_on_time(cycle, now, engagement):
    first = Review.objects.filter(submission=OuterRef("pk")).order_by("created_at")
    found = list(
        sources.versions_due_for_review(cycle, now, sources.review_wait(cycle))
        .filter(enrollment__match__engagement=engagement)
        .annotate(reviewed_at=Subquery(first.values("created_at")[:1]))
        .select_related("requirement__kind", "enrollment__student__user")
        .order_by("submitted_at", "pk")
    )
    rows = [
        [
            str(v.enrollment.student),
            _("%(deliverable)s, version %(number)d")
            % {"deliverable": v.requirement.kind.label, "number": v.number},
            _when(v.submitted_at),
            _when(v.reviewed_at) if v.reviewed_at else "–",
            _yes(v.on_time),
        ]
        for v in found
    ]
    columns = [_("Student"), _("Version"), _("Submitted"), _("First review"), _("On time")]
    return Evidence(columns, rows, _share(sum(v.on_time for v in found), len(found)))


def mentee_satisfaction(cycle, now, engagement):
    found = list(
        sources.mentee_ratings(cycle)
        .filter(response__enrollment__match__engagement=engagement)
        .select_related("question", "response__respondent")
        .order_by("response__submitted_at", "pk")
    )
    rows = [[str(a.response.respondent), a.question.label, a.value] for a in found]
    satisfied = sum(a.value >= SATISFIED for a in found)
    return Evidence([_("Student"), _("Question"), _("Answer")], rows, _share(satisfied, len(found)))


def group_activities(cycle, now, group):
    found = list(sources.activities_of_group(cycle, now, group.pk).order_by("starts_at"))
    rows = [[a.title, _when(a.starts_at), _yes(a.group_id == group.pk)] for a in found]
    return Evidence([_("Activity"), _("Starts"), _("Organised by the group")], rows, len(found))


def judged(evaluation, score):
    field = SUBJECT_FIELDS[score.subject]
    found = list(
        Judgment.objects.filter(
            evaluation=evaluation, criterion=score.criterion_id, **{field: score.subject_id}
        )
        .select_related("judge")
        .order_by("judge__full_name", "pk")
    )
    rows = [[str(j.judge), j.score, j.comment, _when(j.updated_at)] for j in found]
    columns = [_("Judge"), _("Score (1-10)"), _("Comment"), _("Saved")]
    return Evidence(columns, rows, trimmed_mean(j.score for j in found))


EXPLAINED = {
    M.DELIVERABLES: gettext_lazy(
        "Share of the required deliverables with a version handed in on time and accepted."
    ),
    M.MEETINGS: gettext_lazy(
        "Confirmed meetings; scaled against the most any student of the cycle had."
    ),
    M.MEETING_SPREAD: gettext_lazy(
        "Months with a confirmed meeting, of the cycle's months so far."
    ),
    M.ATTENDANCE: gettext_lazy(
        "Share present of the past activities the student said they would go to "
        "(attendance taken, excused left out)."
    ),
    M.OPPORTUNITIES: gettext_lazy(
        "Share of the recommendations received that the student acted on."
    ),
    M.COMPETENCE_GROWTH: gettext_lazy(
        "Mean change from the start to the end self-assessment, "
        "over dimensions rated both times (-4 to +4)."
    ),
    M.MENTEE_RESULTS: gettext_lazy("Mean total of the mentor's published mentees."),
    M.MEETINGS_LOGGED: gettext_lazy(
        "Meetings the mentor logged that a student confirmed; "
        "scaled against the most any mentor logged."
    ),
    M.REVIEWS_ON_TIME: gettext_lazy(
        "Share of the mentees' versions reviewed within the program's review waiting days."
    ),
    M.MENTEE_SATISFACTION: gettext_lazy(
        "Share of the mentees' answers about their mentor that are 4 or 5."
    ),
    M.MEMBER_RESULTS: gettext_lazy("Mean total of the group's students."),
    M.GROUP_ACTIVITIES: gettext_lazy(
        "Past activities the group organised or was invited to; "
        "scaled against the most any group had."
    ),
    M.JUDGED: gettext_lazy(
        "Mean of the judges' scores; from three judges, without the highest and the lowest."
    ),
}
PER_SUBJECT = {
    M.DELIVERABLES: deliverables,
    M.MEETINGS: meetings,
    M.MEETING_SPREAD: meeting_spread,
    M.ATTENDANCE: attendance,
    M.OPPORTUNITIES: opportunities,
    M.COMPETENCE_GROWTH: competence_growth,
    M.MEETINGS_LOGGED: meetings_logged,
    M.REVIEWS_ON_TIME: reviews_on_time,
    M.MENTEE_SATISFACTION: mentee_satisfaction,
    M.GROUP_ACTIVITIES: group_activities,
}
FROM_TOTALS = {M.MENTEE_RESULTS: mentee_results, M.MEMBER_RESULTS: member_results}


def evidence_for(evaluation, score):
    """The Evidence of ``score`` (of ``evaluation``, with its criterion loaded)."""
    measure = score.criterion.measure
    if measure == M.JUDGED:
        return judged(evaluation, score)
    cycle, now, subject = evaluation.cycle, evaluation.computed_at, score.subject_object
    if measure in FROM_TOTALS:
        return FROM_TOTALS[measure](cycle, now, subject, evaluation)
    return PER_SUBJECT[measure](cycle, now, subject)
