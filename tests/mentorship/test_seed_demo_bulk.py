"""``seed_demo``'s bulk mode makes history in every cycle, as the pages at
scale need: matches, notifications, meetings, activities with attendance,
deliverables with reviews, self-assessments and survey answers."""

import pytest
from django.db.models import Count, F

from assessments.models import (
    Rating,
    Requirement,
    Review,
    SelfAssessment,
    Submission,
    SurveyAnswer,
    SurveyResponse,
)
from mentorship.demo import bulk
from mentorship.models import Engagement, Enrollment, GroupMembership, Match, Notification
from programs.models import Cycle, Stage
from sessions_app.models import Activity, MeetingParticipant, Registration

from .test_seed_demo import seed

pytestmark = pytest.mark.django_db


def test_every_cycle_has_each_kind_of_history():
    output = seed("--students", "60", "--mentors", "12", "--cycles", "3")
    assert "meetings:" in output and "survey answers:" in output
    cycles = Cycle.objects.filter(program__name__in=[bulk.ALUMNI, bulk.COACHING])
    # Next year's cycles are in selection: no history yet (test_seed_demo_bulk_selection).
    assert cycles.filter(stage=Stage.SELECTION).count() == 2
    cycles = cycles.exclude(stage=Stage.SELECTION)
    assert cycles.count() == 6
    for cycle in cycles:
        matched = Enrollment.objects.filter(cycle=cycle, match__isnull=False)
        assert matched.exists()
        assert not matched.filter(match__published_at__isnull=True).exists()
        assert Notification.objects.filter(
            kind="match_published", recipient__student_profile__enrollments__cycle=cycle
        ).exists()
        confirmed = MeetingParticipant.objects.filter(meeting__cycle=cycle, status="confirmed")
        assert confirmed.values("student").distinct().count() == matched.count()
        assert Requirement.objects.filter(cycle=cycle).exists()
        versions = Submission.objects.filter(requirement__cycle=cycle)
        assert versions.filter(number=2).exists()
        assert Review.objects.filter(submission__requirement__cycle=cycle).count() == (
            versions.count()
        )
        assert Activity.objects.filter(cycle=cycle).exists()
        attended = Registration.objects.filter(activity__cycle=cycle, attendance="present")
        assert attended.exists()
        assert SelfAssessment.objects.filter(enrollment__cycle=cycle).exists()
        assert Rating.objects.filter(self_assessment__enrollment__cycle=cycle).exists()
        # The survey is answered at the end of a cycle: not yet in the running one.
        answered = SurveyAnswer.objects.filter(response__cycle=cycle)
        assert answered.exists() == cycle.is_closed
        if cycle.is_closed:
            assert SurveyResponse.objects.filter(cycle=cycle, audience="mentor").exists()


def test_matches_keep_capacity_and_pair_group_members():
    seed("--students", "60", "--mentors", "12", "--cycles", "3")
    over = Engagement.objects.annotate(load=Count("matches")).filter(load__gt=F("capacity"))
    assert not over.exists()
    for match in Match.objects.select_related("enrollment", "engagement"):
        groups = GroupMembership.objects.filter(group__cycle=match.enrollment.cycle_id)
        mentor_groups = groups.filter(mentor=match.engagement.mentor_id).values("group")
        assert groups.filter(student=match.enrollment.student_id, group__in=mentor_groups).exists()
