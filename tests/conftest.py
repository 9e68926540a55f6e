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
from . import worker_isolation

POSTGRES_ONLY = (
    "postgres_concurrency: concurrent writers need PostgreSQL's row locks; SQLite's shared "
    "in-memory test database answers a second writer with 'database table is locked' at once "
    "(CI runs these on PostgreSQL)"
)
# Beyond pyproject's default: a browser test's first page starts Chromium and
# the live server; a slow test walks every URL (minutes on a loaded machine).
TIMEOUTS = {"browser": 600, "slow": 900}
_MEDIA = pytest.StashKey[str]()


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
    config.stash[_MEDIA] = worker_isolation.isolate(settings)


def pytest_unconfigure(config):
    media = config.stash.get(_MEDIA, None)
    if media:
        cache.clear()  # this process's keys only (tests/worker_isolation.py)
        worker_isolation.remove(media)


@pytest.hookimpl(optionalhook=True)  # without xdist (-p no:xdist) there is no such hook
def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") == "loadfile":
        from .xdist_schedule import CrashOnceLoadFileScheduling

        return CrashOnceLoadFileScheduling(config, log)
    return None


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(config, items):
    from django.db import connection

    # pytest-xdist hands out files in this order: the longest go first, or the
    # last worker would still be walking URLs long after the others are done.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)

    on_postgresql = connection.vendor == "postgresql"
    for item in items:
        if not on_postgresql and item.get_closest_marker("postgres_concurrency"):
            item.add_marker(pytest.mark.skip(reason=POSTGRES_ONLY))
        # Per-test limits beyond pyproject's default, unless the test sets its own.
        for marker, seconds in TIMEOUTS.items():
            if item.get_closest_marker(marker) and not item.get_closest_marker("timeout"):
                item.add_marker(pytest.mark.timeout(seconds))


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
