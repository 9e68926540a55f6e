"""The people and objects benchmarks/pages.py requests pages with.

Shaped like tests/security/world.py (its attribute names fill the URL
arguments), but found in the bulk benchmark data: the running cycle's mentor
with the fullest load (a full one when there is), one of their students, and
that student's group, activity, meeting, deliverable, notification and a
recommendation of that mentor; next year's cycle of their program (in
selection: their applications and rankings, the coordinator's matching run);
the last closed cycle with its evaluation, judgments and awards.
"""

from django.contrib.auth.hashers import make_password
from django.db.models import Count, F, Q

from assessments.models import (
    Award,
    Evaluation,
    Judgment,
    Requirement,
    Score,
    Submission,
    SurveyResponse,
)
from mentorship.demo.bulk import ALUMNI, COACHING, COORDINATOR
from mentorship.models import (
    Engagement,
    Enrollment,
    GroupMembership,
    MatchingRun,
    MentorPreference,
    Notification,
    Opportunity,
    StaffRole,
    StudentPreference,
    User,
)
from programs.models import Cycle, Program, Stage
from sessions_app.calendar_feed import token_for
from sessions_app.models import Activity, Meeting


class World:
    """Attributes the routes table reads; a missing one skips the route."""


def bench_world(*, steering_email):
    programs = Program.objects.filter(name__in=[ALUMNI, COACHING])
    engagement = (
        Engagement.objects.filter(cycle__program__in=programs, cycle__stage=Stage.TRACKING)
        .annotate(load=Count("matches"))
        .annotate(full=Q(load=F("capacity")))
        .order_by("-full", "-load", "pk")
        .select_related("mentor__user", "cycle")
        .first()
    )
    cycle = engagement.cycle
    match = engagement.matches.select_related("enrollment__student__user").order_by("pk").first()
    enrollment = match.enrollment
    student = enrollment.student
    w = World()
    w.cycle = cycle
    w.past_cycle = (
        Cycle.objects.filter(program=cycle.program, stage=Stage.CLOSED)
        .order_by("-starts_on")
        .first()
    )
    w.enrollment = enrollment
    w.engagement = engagement
    w.team = GroupMembership.objects.get(student=student, group__cycle=cycle).group
    w.activity = Activity.objects.filter(group=w.team).order_by("-starts_at").first()
    w.meeting = Meeting.objects.filter(participants__student=student).order_by("-starts_at").first()
    w.submission = (
        Submission.objects.filter(enrollment=enrollment).order_by("-submitted_at").first()
    )
    w.requirement = Requirement.objects.filter(cycle=cycle).order_by("due_at").first()
    w.notification = Notification.objects.filter(recipient=student.user).first()
    w.calendar_token = token_for(engagement.mentor.user).token
    w.opportunity = (
        Opportunity.objects.filter(cycle=cycle, author=engagement.mentor).order_by("pk").first()
    )
    _next_cycle(w, cycle.program, student, engagement.mentor)
    _past_cycle(w)
    users = {
        "coordinator": User.objects.get(email=COORDINATOR),
        "steering": _steering_member(steering_email, programs),
        "mentor": engagement.mentor.user,
        "student": student.user,
    }
    print(
        f"mentor {users['mentor'].email}: {engagement.load} of {engagement.capacity} "
        f"in {cycle}; student {users['student'].email}",
        flush=True,
    )
    return w, users


def _next_cycle(w, program, student, mentor):
    """Next year's cycle in selection, the persona's application and contract."""
    w.next_cycle = Cycle.objects.filter(program=program, stage=Stage.SELECTION).first()
    w.next_enrollment = Enrollment.objects.filter(cycle=w.next_cycle, student=student).first()
    w.next_engagement = Engagement.objects.filter(cycle=w.next_cycle, mentor=mentor).first()
    w.run = MatchingRun.objects.filter(cycle=w.next_cycle).order_by("-pk").first()
    w.student_preference = StudentPreference.objects.filter(enrollment__cycle=w.next_cycle).first()
    w.mentor_preference = MentorPreference.objects.filter(engagement__cycle=w.next_cycle).first()


def _past_cycle(w):
    """The last closed cycle's evaluation, one of its judgments and awards."""
    w.evaluation = Evaluation.objects.filter(cycle=w.past_cycle).first()
    w.score = Score.objects.filter(evaluation=w.evaluation).order_by("pk").first()
    w.judgment = Judgment.objects.filter(evaluation=w.evaluation).order_by("pk").first()
    w.award = (
        Award.objects.filter(evaluation=w.evaluation, published_at__isnull=False)
        .order_by("pk")
        .first()
    )
    w.award_category = w.award.category if w.award else None
    w.survey_response = SurveyResponse.objects.filter(cycle=w.past_cycle).order_by("pk").first()


def _steering_member(email, programs):
    user, _made = User.objects.get_or_create(
        email=email,
        defaults={"full_name": "Benchmark Steering Member", "password": make_password(None)},
    )
    for program in programs:
        # Saved one by one: the role's signal gives the member admin access.
        if not StaffRole.objects.filter(user=user, program=program, role="steering").exists():
            StaffRole.objects.create(user=user, program=program, role="steering")
    return user
