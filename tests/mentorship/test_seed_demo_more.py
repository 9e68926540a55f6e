"""``seed_demo`` beyond the demo itself: the bulk benchmark mode at a tiny
size, and the notifications the demo's people find."""

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from mentorship.demo import bulk
from mentorship.demo.plan import MENTOR, STUDENT
from mentorship.models import (
    Enrollment,
    Group,
    MentorProfile,
    Notification,
    RosterEntry,
    StudentProfile,
    User,
)
from mentorship.reminders import run_reminders
from programs.models import Cycle, GroupKind, Program, Stage

from .test_seed_demo import assert_groups_follow_rules, seed, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # The demo stores a PDF for an internship report.
    settings.MEDIA_ROOT = tmp_path / "media"


def test_size_options_go_together(db):
    with pytest.raises(CommandError, match="go together"):
        seed("--students", "10")


def test_bulk_mode_at_a_tiny_size(db):
    output = seed("--students", "60", "--mentors", "12", "--cycles", "3")
    assert "Seeded 60 students, 12 mentors, 3 cycles" in output
    programs = Program.objects.filter(name__in=[bulk.ALUMNI, bulk.COACHING])
    assert programs.count() == 2
    assert StudentProfile.objects.filter(student_number__startswith="BENCH").count() == 60
    assert MentorProfile.objects.filter(user__email__startswith="bench-").count() == 12
    # The students, the mentors, the coordinator and the steering group.
    assert User.objects.count() == 60 + 12 + 1 + len(bulk.STEERING)
    assert not any(user.has_usable_password() for user in User.objects.all())
    assert RosterEntry.objects.count() == 72
    # Each student takes part in exactly one cycle up to this year's; this
    # year's students applied again for next year's, in selection.
    past = Enrollment.objects.exclude(cycle__stage=Stage.SELECTION)
    assert past.count() == 60
    assert past.values("student").distinct().count() == 60
    applied = Enrollment.objects.filter(cycle__stage=Stage.SELECTION)
    running = past.filter(cycle__stage=Stage.TRACKING)
    assert set(applied.values_list("student", flat=True)) == set(
        running.values_list("student", flat=True)
    )
    for program in programs:
        cycles = list(program.cycles.order_by("starts_on"))
        assert [c.stage for c in cycles] == [
            Stage.CLOSED,
            Stage.CLOSED,
            Stage.TRACKING,
            Stage.SELECTION,
        ]
        for cycle in cycles[:-1]:
            assert cycle.transitions.count() == (6 if cycle.is_closed else 3)
            assert cycle.groups.exists()
            assert_groups_follow_rules(cycle)
    coaching = Cycle.objects.filter(program__name=bulk.COACHING)
    assert Group.objects.filter(cycle__in=coaching, kind=GroupKind.MENTOR_TEAM).count() == 0


def test_bulk_mode_on_top_of_the_demo_and_twice(db):
    seed(force=True)
    seed("--students", "30", "--mentors", "6", "--cycles", "2")
    before = snapshot()
    output = seed("--students", "30", "--mentors", "6", "--cycles", "2")
    assert "already present; skipped" in output
    assert snapshot() == before
    assert Program.objects.count() == 4
    assert User.objects.filter(email__startswith="bench-").count() == 30 + 6 + 1 + len(
        bulk.STEERING
    )
    assert "nothing changed" in seed(force=True)


def test_bulk_mode_needs_a_team_per_program(db):
    with pytest.raises(CommandError, match="at least 6"):
        seed("--students", "30", "--mentors", "4", "--cycles", "2")


def test_the_demo_logins_find_notifications_and_nobody_else_is_mailed(db, mailoutbox):
    seed(force=True)
    student = Notification.objects.filter(recipient__email=STUDENT)
    kinds = set(student.values_list("kind", flat=True))
    assert {"submission_decided", "meeting_to_confirm"} <= kinds
    assert student.filter(read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient__email=MENTOR, kind="meeting_gap").exists()
    # Everyone else had their digests already: the first run mails the demo logins only.
    run_reminders(now=timezone.now())
    assert {address for mail in mailoutbox for address in mail.to} <= {MENTOR, STUDENT}
    assert mailoutbox
