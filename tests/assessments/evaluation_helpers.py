"""Building blocks for the evaluation tests: a cycle in the evaluation stage
and the records the measures read."""

import datetime

from django.utils import timezone

from assessments.evaluation import compute_evaluation
from assessments.models import (
    Evaluation,
    Judgment,
    Moment,
    Rating,
    Requirement,
    Score,
    SelfAssessment,
    Standing,
    SurveyAnswer,
    SurveyResponse,
)
from assessments.models.subjects import SUBJECT_FIELDS
from mentorship.models import Engagement, Enrollment, Group
from programs.models import (
    AwardSubject,
    CompetenceDimension,
    RubricCriterion,
    Stage,
    SurveyQuestion,
)
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


def subject_ref(obj):
    """The subject and foreign-key fields of a row about ``obj``."""
    subject = subject_of(obj)
    return {"subject": subject, SUBJECT_FIELDS[subject]: obj}


def criterion(cycle, code):
    return RubricCriterion.objects.get(program=cycle.program_id, code=code)


def score(evaluation, code, obj):
    return Score.objects.get(
        evaluation=evaluation, criterion=criterion(evaluation.cycle, code), **subject_ref(obj)
    )


def standing(evaluation, obj):
    return Standing.objects.get(evaluation=evaluation, **subject_ref(obj))


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
        **subject_ref(obj),
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


def populate(cycle, *, students, judge_user, tag="p"):
    """``students`` new matched students, each with their own mentor (published
    match), in one group per two students, with a record for every measure."""
    now = timezone.now()
    past = {"starts_at": now - 3 * DAY, "ends_at": now - 2 * DAY}
    plan = requirement_for(cycle)
    activity = f.ActivityFactory(cycle=cycle, **past)
    dimension = CompetenceDimension.objects.filter(program=cycle.program_id).first()
    evaluation, _created = Evaluation.objects.get_or_create(cycle=cycle)
    group = None
    for index in range(students):
        if index % 2 == 0:
            group = f.GroupFactory(cycle=cycle, name=f"Group {tag}{index}")
            f.ActivityFactory(cycle=cycle, group=group, **past)
        enrollment = f.EnrollmentFactory(cycle=cycle)
        engagement = f.EngagementFactory(cycle=cycle)
        f.MatchFactory(enrollment=enrollment, engagement=engagement, published_at=now)
        f.GroupMembershipFactory(
            group=group, mentor=None, student=enrollment.student, role="student"
        )
        meeting(cycle, engagement.mentor, [enrollment.student], at=now - (index + 1) * DAY)
        version(plan, enrollment, decision="accepted" if index % 2 else "returned")
        f.RegistrationFactory(
            activity=activity,
            user=enrollment.student.user,
            attendance=("present", "absent")[index % 2],
        )
        f.OpportunityRecipientFactory(
            opportunity=f.OpportunityFactory(cycle=cycle, author=engagement.mentor),
            enrollment=enrollment,
            status=("new", "applied")[index % 2],
        )
        for moment, level in ((Moment.START, 2), (Moment.END, 2 + index % 3)):
            assessment = SelfAssessment.objects.create(
                enrollment=enrollment, moment=moment, submitted_at=now
            )
            Rating.objects.create(self_assessment=assessment, dimension=dimension, level=level)
        rate_mentor(cycle, enrollment, 3 + index % 3)
        judge(evaluation, "student_judged", enrollment, judge_user, 1 + index % 10)
        judge(evaluation, "mentor_judged", engagement, judge_user, 10 - index % 10)
    return evaluation


def requirement_for(cycle):
    existing = Requirement.objects.filter(cycle=cycle, kind__code="career_plan").first()
    return existing or f.RequirementFactory(cycle=cycle, kind_code="career_plan")
