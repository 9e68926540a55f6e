"""Deliverables around the personas.

The world's cycle asks for a career plan, an internship report and a
communication record. The mentor persona coaches the student persona's team;
a matched mentor has the student through a published match. A rival team of
the same cycle has its own coach and student.
"""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from mentorship.models import Enrollment
from tests import factories as f


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def dl(world, media):
    cycle = world.cycle
    enrollment = Enrollment.objects.get(student__user=world.student, cycle=cycle)
    plan = f.RequirementFactory(cycle=cycle, kind_code="career_plan")
    report = f.RequirementFactory(cycle=cycle, kind_code="internship_report")
    record = f.RequirementFactory(cycle=cycle, kind_code="communication_record")
    matched = f.MentorProfileFactory(user__full_name="Mat Matched")
    f.MatchFactory(
        enrollment=enrollment,
        engagement=f.EngagementFactory(mentor=matched, cycle=cycle),
        published_at=timezone.now(),
    )
    rival_team = f.GroupFactory(cycle=cycle, name="Rival team")
    rival_coach = f.MentorProfileFactory(user__full_name="Rob Rival")
    f.GroupMembershipFactory(group=rival_team, mentor=rival_coach, role="chief")
    rival_student = f.StudentProfileFactory(user__full_name="Rita Rival")
    rival_enrollment = f.EnrollmentFactory(student=rival_student, cycle=cycle)
    f.GroupMembershipFactory(group=rival_team, mentor=None, student=rival_student, role="student")
    no_role = f.UserFactory(email="nobody@example.test")
    return SimpleNamespace(
        enrollment=enrollment,
        plan=plan,
        report=report,
        record=record,
        matched=matched.user,
        rival_coach=rival_coach.user,
        rival_student=rival_student.user,
        rival_enrollment=rival_enrollment,
        no_role=no_role,
    )


PLAN_ANSWERS = {
    "self_awareness__strengths": "Careful with numbers",
    "self_awareness__values": "Honesty",
    "self_awareness__interests": "Audit",
    "career_exploration__targets": "Big four audit firms",
    "career_exploration__people": "Two auditors",
    "decision_making__goals": "An audit internship",
    "decision_making__milestones": "CPA exam part 1",
    "decision_making__timeline": "By next summer",
}
