"""The personas' world with one object of program A behind every URL.

tests/conftest.py's ``build_world`` gives the personas; this adds what the
pages point at: the mentor persona's published mentee (the student persona),
a coaching group they lead, an activity, a meeting, a version with a file, an
opportunity, a notification, a calendar feed, an invitation, and a past cycle
of A in reward with a finalized evaluation, its scores, judgments, an award
and survey answers. Program B's people stay as the base world has them: its
coordinator, mentor and student are the outsiders.
"""

import datetime

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import (
    Award,
    AwardDecision,
    Evaluation,
    EvaluationStatus,
    Judgment,
    LevelDescriptor,
    MentorRating,
    Score,
    SelfAssessment,
    Submission,
    SurveyResponse,
)
from mentorship.invitations import invitation_tokens
from mentorship.matching_runs import run_matching
from mentorship.models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    MentorPreference,
    Notification,
    RosterImport,
    RosterImportStatus,
    RosterRole,
    StaffRole,
    StudentPreference,
)
from programs.models import AwardCategory, CompetenceDimension, RubricCriterion, Stage
from sessions_app.calendar_feed import token_for
from tests import factories as f
from tests.conftest import build_world


def build_security_world():
    w = build_world()
    now = timezone.now()
    w.no_role_staff = f.UserFactory(
        email="staff-no-role@example.test", full_name="Nora Norole", is_staff=True
    )
    w.enrollment = Enrollment.objects.get(student__user=w.student, cycle=w.cycle)
    w.engagement = Engagement.objects.get(mentor__user=w.mentor, cycle=w.cycle)
    w.other_enrollment = Enrollment.objects.get(student__user=w.other_student)
    w.match = f.MatchFactory(
        enrollment=w.enrollment,
        engagement=w.engagement,
        published_at=now - datetime.timedelta(days=30),
        created_by=w.coordinator,
    )
    w.guest = f.GuestFactory(program=w.program)
    w.coordinator_role = StaffRole.objects.get(user=w.coordinator, program=w.program)
    w.roster_entry = w.student.roster_entries.get(program=w.program)
    w.membership = w.team.memberships.get(mentor__user=w.mentor)
    _selection(w)
    _sessions(w, now)
    _deliverables(w)
    _competence(w)
    _past_cycle(w, now)
    _invitation(w)
    _roster_imports(w)
    w.notification = Notification.objects.create(
        recipient=w.student,
        kind="deliverable_due",
        subject_key=f"assessments.requirement:{w.requirement.pk}",
        due_on=now.date(),
        payload={"title": "Career plan due", "url": "/student/deliverables/"},
    )
    w.calendar_token = token_for(w.mentor).token
    w.auth_group = AuthGroup.objects.get(name="Coordinators")
    w.site = Site.objects.get_current()
    w.email_address = w.student.emailaddress_set.create(email=w.student.email, primary=True)
    return w


def _year_of_a(w, first_year, stage, enrollment_status):
    """Another cycle of program A, with the student and the mentor persona in it."""
    cycle = f.CycleFactory(
        program=w.program,
        name=f"{first_year}-{first_year + 1}",
        stage=stage,
        starts_on=datetime.date(first_year, 9, 1),
        ends_on=datetime.date(first_year + 1, 7, 31),
    )
    enrollment = f.EnrollmentFactory(
        student=w.student.student_profile, cycle=cycle, status=enrollment_status
    )
    engagement = f.EngagementFactory(mentor=w.mentor.mentor_profile, cycle=cycle)
    return cycle, enrollment, engagement


def _selection(w):
    """Next year's cycle of A in selection: the student persona ranked the
    mentor persona, who judged them; a group they lead takes students; the
    coordinator ran the matching."""
    w.next_cycle, w.next_enrollment, w.next_engagement = _year_of_a(
        w, 2027, Stage.SELECTION, EnrollmentStatus.APPLIED
    )
    w.student_preference = StudentPreference.objects.create(
        enrollment=w.next_enrollment, engagement=w.next_engagement, rank=1
    )
    w.mentor_preference = MentorPreference.objects.create(
        engagement=w.next_engagement, enrollment=w.next_enrollment, rank=1
    )
    w.led_group = f.GroupFactory(
        cycle=w.next_cycle, kind="enterprise", name="Finance coaching group", capacity=20
    )
    f.GroupMembershipFactory(group=w.led_group, mentor=w.mentor.mentor_profile, role="chief")
    w.run = run_matching(cycle=w.next_cycle, by=w.coordinator)


def _roster_imports(w):
    """A finished background import of each roster into program A."""
    for kind, name in (
        (RosterRole.MENTOR, "mentor_import"),
        (RosterRole.STUDENT, "student_import"),
    ):
        job = RosterImport.objects.create(
            kind=kind,
            created_by=w.coordinator,
            file_name="roster.csv",
            file_format="csv",
            data=b"email\n",
            data_sha256="0" * 64,
            status=RosterImportStatus.DONE,
            confirmed=True,
        )
        job.programs.set([w.program])
        setattr(w, name, job)


def _sessions(w, now):
    w.activity = f.ActivityFactory(
        cycle=w.cycle, group=w.team, title="Finance salon", created_by=w.mentor
    )
    f.ActivityInvitationFactory(activity=w.activity, group=w.team)
    f.RegistrationFactory(activity=w.activity, user=w.student)
    participant = f.MeetingParticipantFactory(
        meeting__cycle=w.cycle,
        meeting__author=w.mentor.mentor_profile,
        student=w.student.student_profile,
    )
    w.meeting = participant.meeting
    w.opportunity = f.OpportunityFactory(cycle=w.cycle, author=w.mentor.mentor_profile)
    f.OpportunityRecipientFactory(opportunity=w.opportunity, enrollment=w.enrollment)


def _deliverables(w):
    w.requirement = f.RequirementFactory(cycle=w.cycle, kind_code="internship_report")
    submission = Submission(
        requirement=w.requirement, enrollment=w.enrollment, number=1, content={"role": "Analyst"}
    )
    submission.file.save("report.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    submission.save()
    w.submission = submission


def _competence(w):
    dimension = CompetenceDimension.objects.filter(program=w.program).first()
    w.level_descriptor = LevelDescriptor.objects.create(
        dimension=dimension, level=1, text="Knows a few strengths."
    )
    w.self_assessment = SelfAssessment.objects.create(
        enrollment=w.enrollment, moment="start", submitted_at=timezone.now()
    )
    w.mentor_rating = MentorRating.objects.create(
        enrollment=w.enrollment,
        dimension=dimension,
        moment="start",
        level=2,
        by=w.mentor.mentor_profile,
    )


def _past_cycle(w, now):
    """Last year's cycle of A, rewarded: the student persona's award in it."""
    w.past_cycle, enrollment, engagement = _year_of_a(
        w, 2025, Stage.REWARD, EnrollmentStatus.MATCHED
    )
    w.evaluation = Evaluation.objects.create(
        cycle=w.past_cycle, status=EvaluationStatus.COMPUTED, computed_at=now
    )
    criterion = RubricCriterion.objects.filter(program=w.program, subject="student").first()
    w.score = Score.objects.create(
        evaluation=w.evaluation,
        criterion=criterion,
        subject="student",
        enrollment=enrollment,
        raw=3,
        value=60,
    )
    judged = RubricCriterion.objects.filter(program=w.program, measure="judged").first()
    w.judgment = Judgment.objects.create(
        evaluation=w.evaluation,
        criterion=judged,
        subject=judged.subject,
        judge=w.steering,
        score=8,
        **_subject_of(judged.subject, enrollment, engagement, w),
    )
    w.award_category = AwardCategory.objects.get(program=w.program, code="outstanding_student")
    w.award = Award.objects.create(
        evaluation=w.evaluation,
        category=w.award_category,
        subject="student",
        enrollment=enrollment,
        proposed=True,
        decision=AwardDecision.CONFIRMED,
        decided_by=w.steering,
        decided_at=now,
        published_at=now,
    )
    Evaluation.objects.filter(pk=w.evaluation.pk).update(
        status=EvaluationStatus.FINALIZED, finalized_at=now, finalized_by=w.coordinator
    )
    w.survey_response = SurveyResponse.objects.create(
        cycle=w.past_cycle,
        respondent=w.student,
        audience="student",
        enrollment=enrollment,
        submitted_at=now,
    )


def _subject_of(subject, enrollment, engagement, w):
    return {
        "student": {"enrollment": enrollment},
        "mentor": {"engagement": engagement},
        "group": {"group": w.team},
    }[subject]


def _invitation(w):
    """A mentor invited to A who has not chosen a password yet, and their link."""
    invited = f.MentorProfileFactory(user__email="invited-mentor@example.test")
    invited.user.set_unusable_password()
    invited.user.save()
    f.EngagementFactory(mentor=invited, cycle=w.cycle, status=EngagementStatus.INVITED)
    f.RosterEntryFactory(user=invited.user, program=w.program, role="mentor")
    w.invited = invited.user
    w.invitation_token = invitation_tokens.make_token(invited.user)
