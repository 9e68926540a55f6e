"""Who the end-of-cycle survey asks, and its figures: response and
satisfaction rates. The satisfaction rate is the share of 1-5 answers that
are 4 or 5 (the seed program reports it against a 90% line)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from mentorship.models import Engagement, EngagementStatus, Enrollment, EnrollmentStatus

from .models import SurveyAnswer, SurveyResponse

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
    rated: int  # 1-5 answers given
    satisfied: int  # of which 4 or 5

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
        return self.satisfied / self.rated if self.rated else None

    @property
    def meets_target(self):
        rate = self.satisfaction_rate
        return rate is not None and rate >= TARGET


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
    ratings = SurveyAnswer.objects.filter(
        Q(response__enrollment__in=enrollments.values("pk"))
        | Q(response__engagement__in=engagements.values("pk")),
        response__cycle=cycle,
        value__isnull=False,
    ).aggregate(rated=Count("pk"), satisfied=Count("pk", filter=Q(value__gte=SATISFIED)))
    return SurveyFigures(
        students_asked=students["asked"],
        students_answered=students["answered"],
        mentors_asked=mentors["asked"],
        mentors_answered=mentors["answered"],
        rated=ratings["rated"],
        satisfied=ratings["satisfied"],
    )
