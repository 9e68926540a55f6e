"""Who the end-of-cycle survey asks, and its figures: response and
satisfaction rates.

The satisfaction rate is about people, as the seed program's "over 90%
satisfied" is: the share of respondents whose answer to their audience's
overall question (SurveyQuestion.overall) is 4 or 5. Every other 1-5 question
is reported beside it, each with its own share of 4 and 5 (the per-question
spread), never pooled into it. The dashboard, the results page and the
results download all read ``survey_figures``.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from mentorship.models import Engagement, EngagementStatus, Enrollment, EnrollmentStatus
from programs.models import SurveyQuestion

from .models import SurveyAnswer, SurveyResponse

QUESTION_FIELDS = (
    "question",
    *(f"question__{name}" for name in ("code", "name", "audience", "position", "overall")),
)
SATISFIED = 4  # answers of 4 or 5 count as satisfied
TARGET = 0.9


def surveyed_enrollments(cycle):
    """Students asked: those matched in ``cycle`` (finished once it closed)."""
    return Enrollment.objects.filter(
        cycle=cycle, status__in=[EnrollmentStatus.MATCHED, EnrollmentStatus.FINISHED]
    )


def surveyed_engagements(cycle):
    """Mentors asked: those who took part in ``cycle``."""
    return Engagement.objects.filter(
        cycle=cycle, status__in=[EngagementStatus.ACCEPTED, EngagementStatus.ENDED]
    )


@dataclass(frozen=True)
class SurveyFigures:
    students_asked: int
    students_answered: int
    mentors_asked: int
    mentors_answered: int
    rated: int  # respondents who answered their overall question
    satisfied: int  # of which 4 or 5
    questions: list = field(default_factory=list)  # QuestionShare per 1-5 question answered

    @property
    def asked(self):
        return self.students_asked + self.mentors_asked

    @property
    def answered(self):
        return self.students_answered + self.mentors_answered

    @property
    def response_rate(self):
        return self.answered / self.asked if self.asked else None

    @property
    def satisfaction_rate(self):
        """Share of respondents satisfied overall; None before any answered."""
        return self.satisfied / self.rated if self.rated else None

    @property
    def meets_target(self):
        rate = self.satisfaction_rate
        return rate is not None and rate >= TARGET


@dataclass(frozen=True)
class QuestionShare:
    """One 1-5 question (an unsaved copy carrying its text and audience) with
    its answers in the scope and how many were 4 or 5."""

    question: SurveyQuestion
    rated: int
    satisfied: int

    @property
    def satisfaction_rate(self):
        return self.satisfied / self.rated if self.rated else None


def survey_figures(cycle, *, enrollments=None, engagements=None):
    """The survey's figures for ``cycle``, limited to ``enrollments`` and
    ``engagements`` (querysets, e.g. one group's people) when given. Three
    queries at any size."""
    enrollments = surveyed_enrollments(cycle) if enrollments is None else enrollments
    engagements = surveyed_engagements(cycle) if engagements is None else engagements
    answered = SurveyResponse.objects.filter(cycle=cycle)
    students = enrollments.aggregate(
        asked=Count("pk"),
        answered=Count("pk", filter=Q(Exists(answered.filter(enrollment=OuterRef("pk"))))),
    )
    mentors = engagements.aggregate(
        asked=Count("pk"),
        answered=Count("pk", filter=Q(Exists(answered.filter(engagement=OuterRef("pk"))))),
    )
    # A response answers a question once: a question's answers are its respondents.
    rows = (
        SurveyAnswer.objects.filter(
            Q(response__enrollment__in=enrollments.values("pk"))
            | Q(response__engagement__in=engagements.values("pk")),
            response__cycle=cycle,
            value__isnull=False,
        )
        .order_by()
        .values(*QUESTION_FIELDS)
        .annotate(rated=Count("pk"), satisfied=Count("pk", filter=Q(value__gte=SATISFIED)))
        .order_by("-question__audience", "question__position", "question")
    )
    shares = [
        QuestionShare(
            question=SurveyQuestion(
                pk=row["question"],
                **{name.removeprefix("question__"): row[name] for name in QUESTION_FIELDS[1:]},
            ),
            rated=row["rated"],
            satisfied=row["satisfied"],
        )
        for row in rows
    ]
    overall = [share for share in shares if share.question.overall]
    return SurveyFigures(
        students_asked=students["asked"],
        students_answered=students["answered"],
        mentors_asked=mentors["asked"],
        mentors_answered=mentors["answered"],
        rated=sum(share.rated for share in overall),
        satisfied=sum(share.satisfied for share in overall),
        questions=shares,
    )
