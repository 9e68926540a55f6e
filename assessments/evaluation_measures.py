"""The computed measures of an evaluation, each for every subject of a cycle
at once: one or two aggregate queries per measure, whatever the cycle's size.

A measure returns ``{subject id: (raw, value)}`` for every subject it is
given: ``raw`` is the figure as found (a count, a share from 0 to 1, a mean),
``value`` the same on the 0-100 scale. What counts as evidence is in
assessments.evaluation_sources.

Missing evidence the program expects scores 0, it is not a reason to leave
the criterion out: a student with no meetings, no attendance record at
activities held for them or no self-assessment pair while the program
measures competence gets ``(None, 0)`` or a count of 0. A criterion is left
out, ``(None, None)``, only where it does not apply to the subject: no
required deliverables, no activity with attendance taken held for them, no
competence dimensions, no recommendation received, no mentee version due
for review, no mentee rating, no member with a total. The review page tells
the cases apart (assessments.evaluation_review.score_case).

Scales: shares are ×100; counts (meetings, meetings logged, group activities)
are relative to the highest count among the cycle's subjects of that kind,
0 for everyone when nobody has any; meeting spread is the share of
the cycle's months (up to its end or now) with a confirmed meeting; growth
maps -4..+4 levels to 0..100; results are means of totals, already 0-100.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth

from mentorship.models import Group
from programs.evaluation_rules import Measure as M
from programs.models import CompetenceDimension
from sessions_app.models import Attendance

from .evaluation_sources import (
    ACTED_ON,
    activities_of_group,
    confirmed_meetings,
    confirmed_participations,
    expected_at_activities,
    expected_attendance,
    handed_in_and_accepted,
    member_students,
    mentee_ratings,
    published_mentees,
    rating_pairs,
    received_recommendations,
    required_requirements,
    review_wait,
    spread_participations,
    spread_window,
    versions_due_for_review,
)
from .survey_stats import SATISFIED

LEVEL_SPAN = 4  # the largest change between two levels of 1-5


@dataclass
class Inputs:
    """The subjects of a cycle and the moment the figures describe."""

    cycle: object
    now: datetime.datetime
    students: dict  # enrollment id -> (student profile id, user id)
    mentors: dict  # engagement id -> mentor profile id
    groups: list
    student_totals: dict = field(default_factory=dict)  # filled once students are totalled

    def by_student(self):
        return {student: pk for pk, (student, _user) in self.students.items()}

    def by_user(self):
        return {user: pk for pk, (_student, user) in self.students.items()}

    def by_mentor(self):
        return {mentor: pk for pk, mentor in self.mentors.items()}


# Scales.


def _share(part, whole):
    if not whole:
        return None, None
    return part / whole, 100 * part / whole


def _shares(rows, part, whole, ids):
    """``_share`` of each of ``ids`` from its row; (None, None) for one without a row."""
    return {
        pk: _share(rows[pk][part], rows[pk][whole]) if pk in rows else (None, None) for pk in ids
    }


def _relative(counts):
    top = max(counts.values(), default=0)
    return {pk: (n, 100 * n / top if top else 0.0) for pk, n in counts.items()}


NO_EVIDENCE = (None, 0.0)  # expected and missing: scores 0
LEFT_OUT = (None, None)  # does not apply to the subject


def _mean_of_totals(pairs, totals):
    """{subject: (mean of the totals of its people, same)} from (subject, person) pairs."""
    found = {}
    for subject, person in pairs:
        if totals.get(person) is not None:
            found.setdefault(subject, []).append(totals[person])
    return {pk: sum(values) / len(values) for pk, values in found.items()}


def _rows(queryset, key, **aggregates):
    return {row[key]: row for row in queryset.order_by().values(key).annotate(**aggregates)}


# Student measures.


def deliverables(inputs):
    required = required_requirements(inputs.cycle).count()
    met = _rows(
        handed_in_and_accepted(inputs.cycle), "enrollment", n=Count("requirement", distinct=True)
    )
    return {pk: _share(met.get(pk, {}).get("n", 0), required) for pk in inputs.students}


def meetings(inputs):
    rows = _rows(
        confirmed_participations(inputs.cycle), "student", n=Count("meeting", distinct=True)
    )
    by_student = inputs.by_student()
    counts = dict.fromkeys(inputs.students, 0)
    for student, row in rows.items():
        if student in by_student:
            counts[by_student[student]] = row["n"]
    return _relative(counts)


def meeting_spread(inputs):
    _start, _until, months = spread_window(inputs.cycle, inputs.now)
    rows = _rows(
        spread_participations(inputs.cycle, inputs.now),
        "student",
        n=Count(TruncMonth("meeting__starts_at"), distinct=True),
    )
    by_student = inputs.by_student()
    found = {by_student[s]: row["n"] for s, row in rows.items() if s in by_student}
    return {pk: (found.get(pk, 0), 100 * found.get(pk, 0) / months) for pk in inputs.students}


def attendance(inputs):
    rows = _rows(
        expected_attendance(inputs.cycle, inputs.now),
        "user",
        expected=Count("pk"),
        present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
    )
    by_user = inputs.by_user()
    found = {by_user[u]: row for u, row in rows.items() if u in by_user}
    users, students = expected_at_activities(inputs.cycle, inputs.now)
    return {
        pk: _share(found[pk]["present"], found[pk]["expected"])
        if pk in found
        else (NO_EVIDENCE if student in students or user in users else LEFT_OUT)
        for pk, (student, user) in inputs.students.items()
    }


def opportunities(inputs):
    rows = _rows(
        received_recommendations(inputs.cycle),
        "enrollment",
        received=Count("pk"),
        acted=Count("pk", filter=ACTED_ON),
    )
    return _shares(rows, "acted", "received", inputs.students)


def competence_growth(inputs):
    changes = {}
    for row in rating_pairs(inputs.cycle):
        change = row["end_level"] - row["start_level"]
        changes.setdefault(row["self_assessment__enrollment"], []).append(change)
    growth = {pk: sum(found) / len(found) for pk, found in changes.items()}
    # A program with competence dimensions expects both self-assessments.
    missing = (
        NO_EVIDENCE
        if CompetenceDimension.objects.filter(program=inputs.cycle.program_id).exists()
        else LEFT_OUT
    )
    return {
        pk: (growth[pk], 100 * (growth[pk] + LEVEL_SPAN) / (2 * LEVEL_SPAN))
        if pk in growth
        else missing
        for pk in inputs.students
    }


# Mentor measures.


def mentee_results(inputs):
    pairs = published_mentees(inputs.cycle).values_list("engagement", "enrollment")
    means = _mean_of_totals(pairs, inputs.student_totals)
    return {pk: (means[pk], means[pk]) if pk in means else (None, None) for pk in inputs.mentors}


def meetings_logged(inputs):
    rows = _rows(confirmed_meetings(inputs.cycle), "author", n=Count("pk"))
    by_mentor = inputs.by_mentor()
    counts = dict.fromkeys(inputs.mentors, 0)
    for mentor, row in rows.items():
        if mentor in by_mentor:
            counts[by_mentor[mentor]] = row["n"]
    return _relative(counts)


def reviews_on_time(inputs):
    wait = review_wait(inputs.cycle)
    rows = _rows(
        versions_due_for_review(inputs.cycle, inputs.now, wait),
        "enrollment__match__engagement",
        due=Count("pk"),
        on_time=Count("pk", filter=Q(on_time=True)),
    )
    return _shares(rows, "on_time", "due", inputs.mentors)


def mentee_satisfaction(inputs):
    rows = _rows(
        mentee_ratings(inputs.cycle),
        "response__enrollment__match__engagement",
        rated=Count("pk"),
        satisfied=Count("pk", filter=Q(value__gte=SATISFIED)),
    )
    return _shares(rows, "satisfied", "rated", inputs.mentors)


# Group measures.


def member_results(inputs):
    by_student = inputs.by_student()
    pairs = [
        (group, by_student.get(student))
        for group, student in member_students(inputs.cycle).values_list("group", "student")
    ]
    means = _mean_of_totals(pairs, inputs.student_totals)
    return {pk: (means[pk], means[pk]) if pk in means else (None, None) for pk in inputs.groups}


def group_activities(inputs):
    per_group = (
        activities_of_group(inputs.cycle, inputs.now, OuterRef("pk"))
        .order_by()
        .values("cycle")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counts = dict(
        Group.objects.filter(pk__in=inputs.groups)
        .annotate(n=Coalesce(Subquery(per_group, output_field=IntegerField()), 0))
        .values_list("pk", "n")
    )
    return _relative({pk: counts.get(pk, 0) for pk in inputs.groups})


COMPUTED = {
    M.DELIVERABLES: deliverables,
    M.MEETINGS: meetings,
    M.MEETING_SPREAD: meeting_spread,
    M.ATTENDANCE: attendance,
    M.OPPORTUNITIES: opportunities,
    M.COMPETENCE_GROWTH: competence_growth,
    M.MENTEE_RESULTS: mentee_results,
    M.MEETINGS_LOGGED: meetings_logged,
    M.REVIEWS_ON_TIME: reviews_on_time,
    M.MENTEE_SATISFACTION: mentee_satisfaction,
    M.MEMBER_RESULTS: member_results,
    M.GROUP_ACTIVITIES: group_activities,
}
