"""Building blocks for the evaluation tests: a cycle in the evaluation stage
and the records the measures read."""

import datetime

from django.utils import timezone

from assessments.evaluation import compute_evaluation
from assessments.models import Evaluation, Judgment, Score, Standing, SurveyAnswer, SurveyResponse
from assessments.models.subjects import SUBJECT_FIELDS
from mentorship.models import Engagement, Enrollment, Group
from programs.models import AwardSubject, RubricCriterion, Stage, SurveyQuestion
from tests import factories as f

DAY = datetime.timedelta(days=1)


def evaluating(cycle, *, started_days_ago=70):
    """``cycle`` in the evaluation stage, started ``started_days_ago`` and not over."""
    today = timezone.localdate()
    cycle.stage = Stage.EVALUATION
    cycle.starts_on = today - started_days_ago * DAY
    cycle.ends_on = today + 100 * DAY
    cycle.save()
    return cycle


def compute(cycle, by):
    evaluation, _created = Evaluation.objects.get_or_create(cycle=cycle)
    return compute_evaluation(evaluation=evaluation, by=by)


def subject_of(obj):
    return {
        Enrollment: AwardSubject.STUDENT,
        Engagement: AwardSubject.MENTOR,
        Group: AwardSubject.GROUP,
    }[type(obj)]


def _subject(obj):
    subject = subject_of(obj)
    return {"subject": subject, SUBJECT_FIELDS[subject]: obj}


def criterion(cycle, code):
    return RubricCriterion.objects.get(program=cycle.program_id, code=code)


def score(evaluation, code, obj):
    return Score.objects.get(
        evaluation=evaluation, criterion=criterion(evaluation.cycle, code), **_subject(obj)
    )


def standing(evaluation, obj):
    return Standing.objects.get(evaluation=evaluation, **_subject(obj))


def meeting(cycle, author, students, *, status="confirmed", at=None):
    """A meeting ``author`` (a MentorProfile) held with ``students`` (profiles)."""
    held = f.MeetingFactory(cycle=cycle, author=author, starts_at=at or timezone.now() - DAY)
    for student in students:
        f.MeetingParticipantFactory(meeting=held, student=student, status=status)
    return held


def version(
    requirement, enrollment, *, number=1, late=False, decision=None, at=None, reviewed_after=None
):
    """A submitted version, reviewed ``reviewed_after`` it was submitted with ``decision``."""
    submitted_at = at or timezone.now() - 2 * DAY
    submission = f.SubmissionFactory(
        requirement=requirement,
        enrollment=enrollment,
        number=number,
        late=late,
        submitted_at=submitted_at,
    )
    if decision:
        f.ReviewFactory(
            submission=submission,
            decision=decision,
            comment="" if decision == "accepted" else "Revise the plan.",
            created_at=submitted_at + (reviewed_after or DAY),
        )
    return submission


def judge(evaluation, code, obj, judged_by, value):
    return Judgment.objects.create(
        evaluation=evaluation,
        criterion=criterion(evaluation.cycle, code),
        judge=judged_by,
        score=value,
        **_subject(obj),
    )


def rate_mentor(cycle, enrollment, value, *, overall=None):
    """The student's survey answer about their mentor (and, if given, overall)."""
    response = SurveyResponse.objects.create(
        cycle=cycle,
        respondent=enrollment.student.user,
        audience="student",
        enrollment=enrollment,
        submitted_at=timezone.now(),
    )
    questions = SurveyQuestion.objects.filter(program=cycle.program_id)
    SurveyAnswer.objects.create(
        response=response, question=questions.get(code="student_mentor"), value=value
    )
    if overall is not None:
        SurveyAnswer.objects.create(
            response=response, question=questions.get(code="student_overall"), value=overall
        )
    return response
