"""``seed_demo``'s running cycles on the progress dashboard: a realistic
handful at risk, most internship reports in, competence under way."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.dashboard import Scope, dashboard
from assessments.models import Draft, MentorRating, Review, SelfAssessment, Submission
from mentorship.demo.catalogue import ALUMNI, COACHING
from mentorship.demo.extensions import current_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", force=True, stdout=io.StringIO())
    return timezone.now()


def test_a_handful_at_risk_and_most_reports_handed_in(demo):
    for program in (ALUMNI, COACHING):
        cycle = current_cycle(program)
        figures = dashboard(Scope(cycle=cycle), now=demo)
        assert 0.05 <= len(figures.at_risk) / figures.students <= 0.15, program
        report = next(row for row in figures.completion if row.past_due)
        assert report.requirement.kind.code == "internship_report"
        assert 0.85 <= report.share <= 0.95, program
        assert 0 < report.late <= report.submitted / 5
        assert report.accepted >= 0.7 * report.submitted
        plan = next(row for row in figures.completion if row.requirement.kind.code == "career_plan")
        assert 0 < plan.submitted <= 0.15 * figures.students
        assert Draft.objects.filter(requirement=plan.requirement).count() > 5
        assert sum(n for _, n in figures.meetings) > 5


def test_returned_reports_come_back_and_reviews_follow_the_rules(demo):
    reports = Submission.objects.filter(requirement__kind__code="internship_report")
    returned = Review.objects.filter(decision="returned", submission__in=reports)
    assert returned.count() >= 3 and all(review.comment for review in returned)
    assert reports.filter(number=2).exists()
    assert not Review.objects.filter(created_at__gt=demo).exists()
    for review in Review.objects.select_related("submission"):
        assert review.created_at >= review.submission.submitted_at
    for report in reports.filter(number=1).exclude(content__organisation=""):
        assert {"organisation", "role", "start_date", "end_date", "learned"} <= set(report.content)


def test_coaching_students_assessed_themselves_at_the_start(demo):
    cycle = current_cycle(COACHING)
    students = cycle.enrollments.filter(status="matched").count()
    done = SelfAssessment.objects.filter(enrollment__cycle=cycle, moment="start")
    assert 0.7 * students <= done.count() < students
    levels = set(done.values_list("ratings__level", flat=True))
    assert levels <= {1, 2, 3, 4} and len(levels) >= 3
    assert MentorRating.objects.filter(enrollment__cycle=cycle).exists()
