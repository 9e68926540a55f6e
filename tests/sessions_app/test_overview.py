"""The mentor home's mentees with their last confirmed meeting and the at-risk
mark, and the student home's meetings to confirm."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Enrollment, Match
from programs.models import Cycle, Stage, StageTransition
from sessions_app.overview import meetings_to_confirm, mentee_overview, with_quiet
from tests import factories as f

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def mentee(world):
    (engagement,) = mentee_overview(world.mentor)
    (match,) = engagement.mentees
    return match


def confirmed_meeting(world, mentoring, days, status="confirmed", author=None):
    return f.MeetingParticipantFactory(
        meeting__cycle=world.cycle,
        meeting__author=author or mentoring.mentor,
        meeting__starts_at=days_ago(days),
        student=mentoring.student,
        status=status,
    )


def test_a_mentee_without_a_confirmed_meeting_for_too_long_is_at_risk(world, mentoring):
    # Published 60 days ago; the program's limit is 30 days.
    match = mentee(world)
    assert (match.last_confirmed, match.at_risk) == (None, True)


def test_a_recent_confirmed_meeting_clears_the_mark(world, mentoring):
    confirmed_meeting(world, mentoring, days=40)
    assert mentee(world).at_risk
    confirmed_meeting(world, mentoring, days=5)
    match = mentee(world)
    assert not match.at_risk
    assert match.last_confirmed.date() == days_ago(5).date()


def test_only_confirmed_meetings_count_but_any_author_does(world, mentoring):
    confirmed_meeting(world, mentoring, days=2, status="pending")
    confirmed_meeting(world, mentoring, days=3, status="disputed")
    match = mentee(world)
    assert match.at_risk and match.awaiting
    coach = f.MentorProfileFactory()
    confirmed_meeting(world, mentoring, days=4, author=coach)
    assert not mentee(world).at_risk


def test_days_count_from_the_later_of_publication_and_kick_off(world, mentoring):
    transition = StageTransition.objects.create(
        cycle=world.cycle, from_stage=Stage.SELECTION, to_stage=Stage.KICK_OFF, by=world.coordinator
    )
    StageTransition.objects.filter(pk=transition.pk).update(at=days_ago(10))
    assert not mentee(world).at_risk
    StageTransition.objects.filter(pk=transition.pk).update(at=days_ago(45))
    assert mentee(world).at_risk
    Match.objects.filter(pk=mentoring.match.pk).update(published_at=days_ago(3))
    assert not mentee(world).at_risk


@pytest.mark.parametrize(
    ("stage", "shown", "at_risk"),
    [(Stage.TRACKING, True, True), (Stage.EVALUATION, True, False), (Stage.CLOSED, False, False)],
)
def test_the_mark_shows_while_meetings_are_logged(world, mentoring, stage, shown, at_risk):
    world.cycle.stage = stage
    world.cycle.save(update_fields=["stage"])
    engagements = mentee_overview(world.mentor)
    assert bool(engagements) == shown
    if shown:
        assert engagements[0].mentees[0].at_risk == at_risk


def test_unpublished_mentees_are_not_shown(world, mentoring):
    f.MatchFactory(engagement=mentoring.engagement, enrollment__cycle=world.cycle)
    (engagement,) = mentee_overview(world.mentor)
    assert [m.enrollment.student for m in engagement.mentees] == [mentoring.student]


def test_the_mentor_home_shows_mentees_and_the_mark(client, world, mentoring):
    confirmed_meeting(world, mentoring, days=40)
    client.force_login(world.mentor)
    page = client.get(reverse("mentor_home")).content.decode()
    assert "My mentees" in page
    assert "mentee-at-risk" in page
    assert "Last confirmed meeting" in page
    assert "Rita Rival" not in page


def test_the_student_home_lists_meetings_to_confirm(client, world, mentoring, meeting):
    confirmed_meeting(world, mentoring, days=3)
    f.MeetingParticipantFactory(
        meeting__cycle=world.cycle, student=mentoring.rival_student.student_profile
    )
    assert [p.meeting for p in meetings_to_confirm(world.student)] == [meeting]
    client.force_login(world.student)
    page = client.get(reverse("student_home")).content.decode()
    assert "Meetings to confirm" in page
    assert reverse("student_meeting_confirm", args=[meeting.pk]) in page
    world.cycle.stage = Stage.REWARD
    world.cycle.save(update_fields=["stage"])
    assert "Meetings to confirm" not in client.get(reverse("student_home")).content.decode()


@pytest.mark.parametrize(
    ("published", "kicked_off", "met", "stage"),
    [
        (60, None, None, Stage.TRACKING),
        (60, None, 40, Stage.TRACKING),
        (60, None, 5, Stage.TRACKING),
        (60, 10, None, Stage.KICK_OFF),
        (60, 45, None, Stage.TRACKING),
        (3, 45, None, Stage.TRACKING),
        (60, 45, 40, Stage.EVALUATION),
    ],
)
def test_the_database_marks_the_same_mentees_quiet_as_the_home(
    world, mentoring, published, kicked_off, met, stage
):
    """with_quiet (the dashboard's) and is_at_risk (the homes') are one rule."""
    Match.objects.filter(pk=mentoring.match.pk).update(published_at=days_ago(published))
    if kicked_off is not None:
        transition = StageTransition.objects.create(
            cycle=world.cycle,
            from_stage=Stage.SELECTION,
            to_stage=Stage.KICK_OFF,
            by=world.coordinator,
        )
        StageTransition.objects.filter(pk=transition.pk).update(at=days_ago(kicked_off))
    if met is not None:
        confirmed_meeting(world, mentoring, days=met)
    world.cycle.stage = stage
    world.cycle.save(update_fields=["stage"])
    cycle = Cycle.objects.select_related("program").get(pk=world.cycle.pk)
    enrollments = Enrollment.objects.filter(pk=mentoring.match.enrollment_id)
    quiet = with_quiet(enrollments, cycle=cycle, now=timezone.now()).get().quiet
    assert quiet == mentee(world).at_risk
