"""Reviews waiting: mentors and coaches are reminded once per unreviewed latest version."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.reminders_reviews import KIND, review_reminders
from mentorship.models import Enrollment, EnrollmentStatus, GroupMembership, Notification
from mentorship.reminders import run_reminders, sweep
from programs.models import ReminderPolicy, Stage
from tests import factories as f

pytestmark = pytest.mark.django_db

SUBMITTED = timezone.make_aware(datetime.datetime(2026, 12, 1, 10))


def after(days, hours=0):
    return SUBMITTED + datetime.timedelta(days=days, hours=hours)


@pytest.fixture
def version(world, mentee):
    requirement = f.RequirementFactory(cycle=world.cycle, kind_code="career_plan")
    return f.SubmissionFactory(requirement=requirement, enrollment=mentee, submitted_at=SUBMITTED)


def recipients(now):
    return sorted(due.recipient_id for due in review_reminders(now))


def test_due_after_the_programs_wait_not_before(world, version):
    assert recipients(after(6, 23)) == []
    [due] = review_reminders(after(7))
    assert (due.recipient_id, due.kind) == (world.mentor.pk, KIND)
    assert due.subject_key == f"assessments.submission:{version.pk}"
    assert due.due_on == after(7).date()
    assert due.payload["url"] == f"/mentor/reviews/{version.pk}/"


def test_the_programs_own_wait(world, version):
    ReminderPolicy.objects.filter(program=world.program).update(review_waiting_days=2)
    assert recipients(after(1, 23)) == []
    assert recipients(after(2)) == [world.mentor.pk]


def test_sent_once_per_version(world, version, mailoutbox):
    for day in range(7, 30):
        run_reminders(now=after(day))
    assert Notification.objects.filter(kind=KIND).count() == 1
    # Other sources (deliverables, meeting gaps) mail too; one digest names the version.
    [mail] = [m for m in mailoutbox if "A version waits for your review" in m.body]
    assert mail.to == [world.mentor.email]
    review_line = next(line for line in mail.body.splitlines() if "waits for your review" in line)
    assert "due" not in review_line

    sweep(now=after(31))
    assert Notification.objects.filter(kind=KIND).count() == 1


def test_a_new_version_is_a_new_subject(world, version):
    newer = f.SubmissionFactory(
        requirement=version.requirement,
        enrollment=version.enrollment,
        number=2,
        submitted_at=after(3),
    )
    [due] = review_reminders(after(10))
    assert due.subject_key == f"assessments.submission:{newer.pk}"


def test_nothing_once_reviewed(world, version):
    f.ReviewFactory(submission=version, reviewer=world.mentor.mentor_profile)
    assert recipients(after(8)) == []


def test_coaches_of_the_published_group_are_reminded(world, version):
    coach = f.MentorProfileFactory()
    f.GroupMembershipFactory(group=world.team, mentor=coach, role="coach")
    GroupMembership.objects.filter(group=world.team, role="student").update(published_at=SUBMITTED)
    assert recipients(after(8)) == sorted([world.mentor.pk, coach.user_id])


def test_withdrawn_and_closed_are_left_out(world, version):
    Enrollment.objects.filter(pk=version.enrollment_id).update(status=EnrollmentStatus.WITHDRAWN)
    assert recipients(after(8)) == []
    Enrollment.objects.filter(pk=version.enrollment_id).update(status=EnrollmentStatus.MATCHED)
    world.cycle.stage = Stage.CLOSED
    world.cycle.save(update_fields=["stage"])
    assert recipients(after(8)) == []


def add_versions(world, requirement, count):
    for _ in range(count):
        enrollment = f.EnrollmentFactory(cycle=world.cycle)
        engagement = f.EngagementFactory(cycle=world.cycle)
        f.MatchFactory(enrollment=enrollment, engagement=engagement, published_at=SUBMITTED)
        f.SubmissionFactory(
            requirement=requirement,
            enrollment=enrollment,
            submitted_at=SUBMITTED,
        )


def test_queries_do_not_grow_with_versions(world, version):
    def count():
        with CaptureQueriesContext(connection) as queries:
            found = list(review_reminders(after(8)))
        return len(queries), len(found)

    add_versions(world, version.requirement, 1)
    small, small_found = count()
    add_versions(world, version.requirement, 5)
    large, large_found = count()
    assert large_found > small_found
    assert small == large
