"""The mentor persona's published mentee in the tracking cycle, and a rival
pair in the same cycle: a mentor of another mentee and that mentee."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from mentorship.models import Engagement, Enrollment
from tests import factories as f


def local_input(moment):
    """``moment`` as a datetime-local form field sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def mentoring(world):
    enrollment = Enrollment.objects.get(student__user=world.student, cycle=world.cycle)
    engagement = Engagement.objects.get(mentor__user=world.mentor, cycle=world.cycle)
    published = timezone.now() - datetime.timedelta(days=60)
    match = f.MatchFactory(enrollment=enrollment, engagement=engagement, published_at=published)
    rival = f.MatchFactory(
        enrollment__cycle=world.cycle,
        enrollment__student__user__full_name="Rita Rival",
        engagement__mentor__user__full_name="Ron Rival",
        published_at=published,
    )
    for person, role in (
        (rival.engagement.mentor.user, "mentor"),
        (rival.enrollment.student.user, "student"),
    ):
        f.RosterEntryFactory(user=person, program=world.program, role=role)
    return SimpleNamespace(
        enrollment=enrollment,
        engagement=engagement,
        match=match,
        mentor=world.mentor.mentor_profile,
        student=world.student.student_profile,
        rival_mentor=rival.engagement.mentor.user,
        rival_student=rival.enrollment.student.user,
        rival_match=rival,
    )


@pytest.fixture
def meeting(world, mentoring):
    """A meeting the mentor persona logged yesterday with the student persona, pending."""
    participant = f.MeetingParticipantFactory(
        meeting__cycle=world.cycle, meeting__author=mentoring.mentor, student=mentoring.student
    )
    return participant.meeting


def meeting_form(student_ids, **changes):
    data = {
        "group": "",
        "students": [str(pk) for pk in student_ids],
        "starts_at": local_input(timezone.now() - datetime.timedelta(hours=3)),
        "duration_minutes": "45",
        "mode": "in_person",
        "topics": ["career_planning", "internship"],
        "summary": "We went through internship offers in banking.",
        "next_steps": "Apply to two of them by Friday.",
    }
    data.update(changes)
    return data
