"""Fixed personas shared by every test.

Program A has a current cycle in tracking with two mentors, two students and a
team; the coordinator and steering member hold roles in A only. The coordinator
of another program holds a role in program B, which has its own people.
"""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from programs.models import ProgramKind, Stage

from . import factories as f


def pytest_configure(config):
    from django.conf import settings

    # Real hashing costs seconds per login; tests only need it to be a hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run in the test's own process even where REDIS_URL is set (CI):
    # the tests check their effects, and a real worker has its own tests
    # (tests/mentorship/test_reminders_worker.py, with a separate Celery app).
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _clean_cache():
    # allauth's rate limits live in the cache, which is Redis in CI.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


def build_world():
    """The personas' world; a fixture for most tests, called directly where a
    module builds it once (tests/security)."""
    program = f.ProgramFactory(name="Alumni Mentor Program", kind=ProgramKind.MENTOR)
    cycle = f.CycleFactory(program=program, name="2026-2027", stage=Stage.TRACKING)
    other_program = f.ProgramFactory(name="Career Coaching Program", kind=ProgramKind.COACHING)
    other_cycle = f.CycleFactory(program=other_program, name="2026", stage=Stage.TRACKING)

    coordinator = f.UserFactory(email="coordinator@example.test", full_name="Cora Coordinator")
    f.StaffRoleFactory(user=coordinator, program=program, role="coordinator")
    steering = f.UserFactory(email="steering@example.test", full_name="Sam Steering")
    f.StaffRoleFactory(user=steering, program=program, role="steering")
    other_coordinator = f.UserFactory(
        email="other-coordinator@example.test", full_name="Olga Other"
    )
    f.StaffRoleFactory(user=other_coordinator, program=other_program, role="coordinator")

    mentor = f.MentorProfileFactory(user__email="mentor@example.test", user__full_name="Max Mentor")
    other_mentor = f.MentorProfileFactory(
        user__email="other-mentor@example.test", user__full_name="Mia Other"
    )
    student = f.StudentProfileFactory(
        user__email="student@example.test", user__full_name="Stu Student"
    )
    other_student = f.StudentProfileFactory(
        user__email="other-student@example.test", user__full_name="Sue Other"
    )
    f.EngagementFactory(mentor=mentor, cycle=cycle)
    f.EngagementFactory(mentor=other_mentor, cycle=other_cycle)
    f.EnrollmentFactory(student=student, cycle=cycle)
    f.EnrollmentFactory(student=other_student, cycle=other_cycle)
    for person, prog, role in (
        (mentor.user, program, "mentor"),
        (student.user, program, "student"),
        (other_mentor.user, other_program, "mentor"),
        (other_student.user, other_program, "student"),
    ):
        f.RosterEntryFactory(user=person, program=prog, role=role)
    team = f.GroupFactory(cycle=cycle, name="Finance team")
    f.GroupMembershipFactory(group=team, mentor=mentor, role="chief")
    f.GroupMembershipFactory(group=team, mentor=None, student=student, role="student")

    return SimpleNamespace(
        program=program,
        cycle=cycle,
        other_program=other_program,
        other_cycle=other_cycle,
        coordinator=coordinator,
        steering=steering,
        other_coordinator=other_coordinator,
        mentor=mentor.user,
        other_mentor=other_mentor.user,
        student=student.user,
        other_student=other_student.user,
        team=team,
    )


@pytest.fixture
def mentee(world):
    """The student persona's enrollment, matched to the mentor persona and published."""
    enrollment = world.student.student_profile.enrollments.get(cycle=world.cycle)
    engagement = world.mentor.mentor_profile.engagements.get(cycle=world.cycle)
    f.MatchFactory(enrollment=enrollment, engagement=engagement, published_at=timezone.now())
    return enrollment
