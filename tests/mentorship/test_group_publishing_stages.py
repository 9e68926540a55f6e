"""Group placements and the stage machine: kick-off of a coaching cycle waits
for published placements; hand placements need none; the migration that
published existing memberships."""

import importlib

import pytest
from django.apps import apps
from django.db.models import F
from django.utils import timezone

from mentorship.models import GroupMembership
from programs.models import ProgramKind, Stage
from programs.services import stage_refusals
from tests import factories as f

from .group_publishing_setup import commit, commit_groups, make_groups, placements, publish, rank

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(world):
    return make_groups(world)


@pytest.fixture
def committed(world, groups):
    return commit_groups(world, groups)


def test_coaching_kick_off_needs_group_placements_published(
    world, django_capture_on_commit_callbacks
):
    program = f.ProgramFactory(name="Coaching 2", kind=ProgramKind.COACHING)
    cycle = f.CycleFactory(program=program, name="2027", stage=Stage.SELECTION)
    f.EngagementFactory(cycle=cycle)
    group = f.GroupFactory(cycle=cycle, kind="industry", capacity=5)
    for _ in range(2):
        rank(f.EnrollmentFactory(cycle=cycle, status="applied"), group)
    commit(world, cycle)
    assert stage_refusals(cycle=cycle, to_stage=Stage.KICK_OFF) == [
        "2 group placements are not published yet: publish them on the group matching page first."
    ]
    publish(world, cycle, django_capture_on_commit_callbacks)
    assert stage_refusals(cycle=cycle, to_stage=Stage.KICK_OFF) == []


def test_hand_placed_students_need_no_publication(world):
    program = f.ProgramFactory(name="Coaching 2", kind=ProgramKind.COACHING)
    cycle = f.CycleFactory(program=program, name="2027", stage=Stage.SELECTION)
    f.EngagementFactory(cycle=cycle)
    enrollment = f.EnrollmentFactory(cycle=cycle, status="applied")
    group = f.GroupFactory(cycle=cycle, kind="industry")
    f.GroupMembershipFactory(group=group, role="student", mentor=None, student=enrollment.student)
    assert GroupMembership.objects.get(student=enrollment.student).published_at <= timezone.now()
    assert stage_refusals(cycle=cycle, to_stage=Stage.KICK_OFF) == []


def test_published_at_is_not_a_validation_error_for_hand_placements(world, groups):
    _, big, *_ = groups
    membership = GroupMembership(
        group=big, role="student", student=f.StudentProfileFactory(), published_at=None
    )
    membership.full_clean()
    assert membership.published_at is not None


def test_the_migration_publishes_existing_memberships_as_of_their_joining(world, committed):
    """Memberships made before placements waited stay visible, published when they were made."""
    migration = importlib.import_module("mentorship.migrations.0005_groupmembership_published_at")
    cycle, *_ = committed
    assert placements(cycle).filter(published_at__isnull=True).exists()
    migration.publish_existing(apps, None)
    assert GroupMembership.objects.filter(published_at=F("joined_at")).count() == (
        GroupMembership.objects.count()
    )
