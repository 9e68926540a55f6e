"""``seed_demo`` gives everyone in the running cycles a meeting history and
activity answers, not only the demo logins."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from mentorship.demo.catalogue import ALUMNI, COACHING
from mentorship.demo.extensions import current_cycle, kicked_off_at
from mentorship.models import GroupMembership, Match
from mentorship.publishing import published_matches
from sessions_app.models import Meeting, MeetingParticipant, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", force=True, stdout=io.StringIO())
    return timezone.now()


def test_most_mentees_met_recently_and_a_handful_went_quiet(demo):
    cycle = current_cycle(ALUMNI)
    window = datetime.timedelta(days=cycle.program.at_risk_after_days)
    mentees = set(
        published_matches()
        .filter(engagement__cycle=cycle)
        .values_list("enrollment__student", flat=True)
    )
    confirmed = MeetingParticipant.objects.filter(meeting__cycle=cycle, status="confirmed")
    recent = set(
        confirmed.filter(meeting__starts_at__gte=demo - window).values_list("student", flat=True)
    )
    if demo - kicked_off_at(cycle) > 2 * window:
        assert 0.85 <= len(recent & mentees) / len(mentees) <= 0.95
        met_twice = confirmed.values("student").annotate(n=Count("pk")).filter(n__gte=2)
        assert met_twice.count() > len(mentees) / 2
    # Every participant is a published mentee of the meeting's author.
    pairs = set(
        published_matches()
        .filter(engagement__cycle=cycle)
        .values_list("engagement__mentor", "enrollment__student")
    )
    answers = MeetingParticipant.objects.filter(meeting__cycle=cycle)
    assert set(answers.values_list("meeting__author", "student")) <= pairs
    assert 1 <= answers.filter(status="disputed").count() <= 3
    assert answers.filter(status="pending").exists()


def test_coaching_groups_meet_with_their_published_students(demo):
    cycle = current_cycle(COACHING)
    meetings = Meeting.objects.filter(cycle=cycle)
    assert not meetings.filter(group__isnull=True).exists()
    assert meetings.values("group").distinct().count() == cycle.groups.count()
    published = set(
        GroupMembership.objects.filter(group__cycle=cycle, published_at__isnull=False)
        .exclude(student__isnull=True)
        .values_list("group", "student")
    )
    answers = MeetingParticipant.objects.filter(meeting__cycle=cycle)
    assert set(answers.values_list("meeting__group", "student")) <= published
    leaders = set(
        GroupMembership.objects.filter(
            group__cycle=cycle, role__in=["chief", "leading"]
        ).values_list("group", "mentor")
    )
    assert set(meetings.values_list("group", "author")) <= leaders
    for program in (ALUMNI, COACHING):
        cycle = current_cycle(program)
        held = Meeting.objects.filter(cycle=cycle)
        assert not held.filter(starts_at__gt=demo).exists()
        assert not held.filter(starts_at__lt=kicked_off_at(cycle)).exists()


def test_invitees_answered_and_attended(demo):
    answers = Registration.objects.filter(activity__cycle__program__name=ALUMNI)
    assert answers.count() > 25
    past = answers.filter(activity__ends_at__lte=demo, status="going")
    assert past.filter(attendance="present").count() > past.count() / 2
    assert past.filter(rating__isnull=False).count() >= 3
    assert not answers.filter(rating__isnull=False).exclude(attendance="present").exists()
    assert not answers.filter(activity__ends_at__gt=demo).exclude(attendance="").exists()
    assert Registration.objects.filter(activity__cycle__program__name=COACHING).count() > 10


def test_the_benchmark_programs_get_their_bulk_history_not_the_demo_background(db):
    call_command(
        "seed_demo", "--students", "60", "--mentors", "12", "--cycles", "2", stdout=io.StringIO()
    )
    # Only the bulk mode's own rows: three meetings per match, each student
    # registered for their group's three activities.
    assert Meeting.objects.count() == 3 * Match.objects.count() > 0
    students = GroupMembership.objects.filter(student__isnull=False).count()
    assert Registration.objects.count() == 3 * students > 0
