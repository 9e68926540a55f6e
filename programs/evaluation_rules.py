"""What a program's end-of-cycle evaluation weighs, and what its survey asks.

Kept out of models.py to keep that module short; models.py imports it (at its
end, after ProgramRule) so Django finds the models in the programs app.

A rubric criterion is either computed from the cycle's records (``measure``
names the figure) or judged by the steering group (``Measure.JUDGED``). A
subject's total is the weighted mean of its criteria's values, each on a 0-100
scale; assessments.evaluation computes them. Equal totals are ordered by the
steering group's score, then by the criterion marked ``breaks_ties`` (one per
evaluated kind), so that an award quota can be filled; they still share a
rank and are shown as tied.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .models import AwardSubject, ProgramRule, _unique_code


class Measure(models.TextChoices):
    # Students
    DELIVERABLES = "deliverables", _("Required deliverables handed in on time and accepted")
    MEETINGS = "meetings", _("Confirmed meetings")
    MEETING_SPREAD = "meeting_spread", _("Months of the cycle with a confirmed meeting")
    ATTENDANCE = "attendance", _("Activity attendance rate")
    OPPORTUNITIES = "opportunities", _("Recommendations acted on")
    COMPETENCE_GROWTH = "competence_growth", _("Competence growth (end minus start)")
    # Mentors
    MENTEE_RESULTS = "mentee_results", _("Their mentees' results")
    MEETINGS_LOGGED = "meetings_logged", _("Meetings logged")
    REVIEWS_ON_TIME = "reviews_on_time", _("Reviews done on time")
    MENTEE_SATISFACTION = "mentee_satisfaction", _("Satisfaction their mentees gave")
    # Groups
    MEMBER_RESULTS = "member_results", _("Their members' results")
    GROUP_ACTIVITIES = "group_activities", _("The group's activities")
    # Any subject
    JUDGED = "judged", _("Judged by the steering group (1-10)")


# Which measures fit which subject.
MEASURES_FOR = {
    AwardSubject.STUDENT: {
        Measure.DELIVERABLES,
        Measure.MEETINGS,
        Measure.MEETING_SPREAD,
        Measure.ATTENDANCE,
        Measure.OPPORTUNITIES,
        Measure.COMPETENCE_GROWTH,
        Measure.JUDGED,
    },
    AwardSubject.MENTOR: {
        Measure.MENTEE_RESULTS,
        Measure.MEETINGS_LOGGED,
        Measure.REVIEWS_ON_TIME,
        Measure.MENTEE_SATISFACTION,
        Measure.JUDGED,
    },
    AwardSubject.GROUP: {Measure.MEMBER_RESULTS, Measure.GROUP_ACTIVITIES, Measure.JUDGED},
}


class RubricCriterion(ProgramRule):
    DEFAULT_LABELS = {
        "student_deliverables": gettext_noop("Required deliverables"),
        "student_meetings": gettext_noop("Meetings with the mentor"),
        "student_spread": gettext_noop("Regular contact over the cycle"),
        "student_attendance": gettext_noop("Activity attendance"),
        "student_opportunities": gettext_noop("Acting on recommendations"),
        "student_growth": gettext_noop("Competence growth"),
        "student_judged": gettext_noop("Steering group's assessment of the student"),
        "mentor_results": gettext_noop("Mentees' results"),
        "mentor_meetings": gettext_noop("Meetings logged"),
        "mentor_reviews": gettext_noop("Timely reviews"),
        "mentor_satisfaction": gettext_noop("Mentees' satisfaction"),
        "mentor_judged": gettext_noop("Steering group's assessment of the mentor"),
        "group_results": gettext_noop("Members' results"),
        "group_activities": gettext_noop("Group activities"),
        "group_judged": gettext_noop("Steering group's assessment of the group"),
    }
    # code -> fields: the seed program's rubric.
    DEFAULTS = {
        "student_deliverables": {
            "subject": AwardSubject.STUDENT,
            "measure": Measure.DELIVERABLES,
            "weight": 30,
            "breaks_ties": True,
        },
        "student_meetings": {
            "subject": AwardSubject.STUDENT,
            "measure": Measure.MEETINGS,
            "weight": 15,
        },
        "student_spread": {
            "subject": AwardSubject.STUDENT,
            "measure": Measure.MEETING_SPREAD,
            "weight": 10,
        },
        "student_attendance": {
            "subject": AwardSubject.STUDENT,
            "measure": Measure.ATTENDANCE,
            "weight": 10,
        },
        "student_opportunities": {
            "subject": AwardSubject.STUDENT,
            "measure": Measure.OPPORTUNITIES,
            "weight": 5,
        },
        "student_growth": {
            "subject": AwardSubject.STUDENT,
            "measure": Measure.COMPETENCE_GROWTH,
            "weight": 10,
        },
        "student_judged": {
            "subject": AwardSubject.STUDENT,
            "measure": Measure.JUDGED,
            "weight": 20,
        },
        "mentor_results": {
            "subject": AwardSubject.MENTOR,
            "measure": Measure.MENTEE_RESULTS,
            "weight": 30,
            "breaks_ties": True,
        },
        "mentor_meetings": {
            "subject": AwardSubject.MENTOR,
            "measure": Measure.MEETINGS_LOGGED,
            "weight": 15,
        },
        "mentor_reviews": {
            "subject": AwardSubject.MENTOR,
            "measure": Measure.REVIEWS_ON_TIME,
            "weight": 15,
        },
        "mentor_satisfaction": {
            "subject": AwardSubject.MENTOR,
            "measure": Measure.MENTEE_SATISFACTION,
            "weight": 20,
        },
        "mentor_judged": {"subject": AwardSubject.MENTOR, "measure": Measure.JUDGED, "weight": 20},
        "group_results": {
            "subject": AwardSubject.GROUP,
            "measure": Measure.MEMBER_RESULTS,
            "weight": 40,
            "breaks_ties": True,
        },
        "group_activities": {
            "subject": AwardSubject.GROUP,
            "measure": Measure.GROUP_ACTIVITIES,
            "weight": 20,
        },
        "group_judged": {"subject": AwardSubject.GROUP, "measure": Measure.JUDGED, "weight": 40},
    }

    subject = models.CharField(_("evaluates"), max_length=10, choices=AwardSubject.choices)
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=10, help_text=_("Relative to the other criteria of the same subject.")
    )
    breaks_ties = models.BooleanField(
        _("breaks ties"),
        default=False,
        help_text=_(
            "Among equal totals, the higher figure on this criterion comes first, "
            "after the steering group's score. One criterion per evaluated kind."
        ),
    )

    class Meta(ProgramRule.Meta):
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            _unique_code("rubriccriterion"),
            models.UniqueConstraint(
                fields=["program", "subject"],
                condition=Q(breaks_ties=True),
                name="rubriccriterion_one_tie_breaker",
                violation_error_message=_("Only one criterion per evaluated kind breaks ties."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100),
                name="rubriccriterion_weight_range",
                violation_error_message=_("A weight runs from 1 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(subject=subject, measure__in=sorted(measures))
                        for subject, measures in MEASURES_FOR.items()
                    ],
                    _connector=Q.OR,
                ),
                name="rubriccriterion_measure_fits_subject",
                violation_error_message=_("This measure does not apply to what is evaluated."),
            ),
        ]


class Audience(models.TextChoices):
    STUDENT = "student", _("Students")
    MENTOR = "mentor", _("Mentors")


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agreement, 1 (strongly disagree) to 5 (strongly agree)")
    TEXT = "text", _("Free text")


class SurveyQuestion(ProgramRule):
    """A question of the program's end-of-cycle satisfaction survey; ``name`` is its text."""

    DEFAULT_LABELS = {
        "student_overall": gettext_noop("Overall, I am satisfied with the program."),
        "student_mentor": gettext_noop("My mentor helped me move forward."),
        "student_activities": gettext_noop("The activities were worth my time."),
        "student_comments": gettext_noop("What should the program do differently?"),
        "mentor_overall": gettext_noop("Overall, I am satisfied with the program."),
        "mentor_support": gettext_noop("The program office supported me well."),
        "mentor_comments": gettext_noop("What should the program do differently?"),
    }
    # code -> fields
    DEFAULTS = {
        "student_overall": {
            "audience": Audience.STUDENT,
            "kind": QuestionKind.LIKERT,
            "overall": True,
        },
        "student_mentor": {
            "audience": Audience.STUDENT,
            "kind": QuestionKind.LIKERT,
            "about_mentor": True,
        },
        "student_activities": {"audience": Audience.STUDENT, "kind": QuestionKind.LIKERT},
        "student_comments": {"audience": Audience.STUDENT, "kind": QuestionKind.TEXT},
        "mentor_overall": {
            "audience": Audience.MENTOR,
            "kind": QuestionKind.LIKERT,
            "overall": True,
        },
        "mentor_support": {"audience": Audience.MENTOR, "kind": QuestionKind.LIKERT},
        "mentor_comments": {"audience": Audience.MENTOR, "kind": QuestionKind.TEXT},
    }

    audience = models.CharField(_("asked of"), max_length=10, choices=Audience.choices)
    kind = models.CharField(
        _("answer"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.LIKERT
    )
    about_mentor = models.BooleanField(
        _("about the student's mentor"),
        default=False,
        help_text=_("Its answers count as the satisfaction a mentor's mentees gave."),
    )
    overall = models.BooleanField(
        _("overall satisfaction"),
        default=False,
        help_text=_(
            "The satisfaction rate is the share of those answering this question "
            "who answer 4 or 5. One question per audience."
        ),
    )

    class Meta(ProgramRule.Meta):
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            _unique_code("surveyquestion"),
            models.CheckConstraint(
                condition=Q(about_mentor=False) | Q(audience="student", kind="likert"),
                name="surveyquestion_about_mentor_is_a_student_rating",
                violation_error_message=_(
                    "Only a question of students answered 1-5 can be about their mentor."
                ),
            ),
            models.CheckConstraint(
                condition=Q(overall=False) | Q(kind="likert"),
                name="surveyquestion_overall_is_a_rating",
                violation_error_message=_("The overall question is answered 1-5."),
            ),
            models.UniqueConstraint(
                fields=["program", "audience"],
                condition=Q(overall=True),
                name="surveyquestion_one_overall_per_audience",
                violation_error_message=_("Each audience has one overall question."),
            ),
        ]
