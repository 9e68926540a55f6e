"""``seed_demo`` gives the deliverable and competence pages something real for the demo logins."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    Draft,
    MentorRating,
    Requirement,
    SelfAssessment,
    Submission,
)
from assessments.uploads import validate_upload
from mentorship.demo.catalogue import ALUMNI, COACHING
from mentorship.demo.extensions import mentee_enrollments
from mentorship.demo.plan import MENTOR, STUDENT
from mentorship.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", force=True, stdout=io.StringIO())
    return User.objects.get(email=MENTOR), User.objects.get(email=STUDENT)


def test_requirements_and_the_students_versions(demo, client):
    mentor, student = demo
    for program in (ALUMNI, COACHING):
        kinds = Requirement.objects.filter(cycle__program__name=program, cycle__stage="tracking")
        codes = set(kinds.values_list("kind__code", flat=True))
        assert codes == {"career_plan", "internship_report", "communication_record"}
        assert kinds.filter(due_at__lt=timezone.now()).count() == 1
    mine = Submission.objects.filter(enrollment__student__user=student)
    plan = mine.filter(requirement__kind__code="career_plan").order_by("number")
    assert [s.number for s in plan] == [1, 2]
    assert plan[0].reviews.get().decision == "returned" and plan[0].reviews.get().comment
    assert not plan[1].reviews.exists()
    report = mine.get(requirement__kind__code="internship_report")
    accepted = report.reviews.get()
    assert (accepted.decision, accepted.grade) == ("accepted", 88)
    with report.file.open("rb") as stored:
        upload = SimpleUploadedFile("report.pdf", stored.read(), "application/pdf")
    assert validate_upload(upload) == ".pdf"
    assert Submission.objects.filter(late=True).exclude(enrollment__student__user=student)
    assert Draft.objects.exists()
    assert not Submission.objects.filter(submitted_at__gt=timezone.now()).exists()

    client.force_login(mentor)
    home = client.get(reverse("mentor_home")).content.decode()
    assert "Waiting for my review" in home and student.full_name in home
    assert client.get(reverse("review_detail", args=[plan[1].pk])).status_code == 200
    client.force_login(student)
    assert client.get(reverse("deliverable_list")).status_code == 200
    page = client.get(reverse("deliverable_detail", args=[report.requirement_id]))
    assert page.status_code == 200
    assert client.get(reverse("submission_file", args=[report.pk])).status_code == 200


def test_competence_done_for_the_student_and_to_do_for_others(demo, client):
    mentor, student = demo
    start = SelfAssessment.objects.get(enrollment__student__user=student, moment="start")
    dimensions = start.enrollment.cycle.program.competencedimension_set.count()
    assert start.ratings.count() == dimensions
    rated = MentorRating.objects.filter(enrollment=start.enrollment, by__user=mentor)
    assert rated.count() == dimensions
    # The demo mentor's other mentees still have it to do.
    mentees = mentee_enrollments(start.enrollment.cycle, mentor.email)
    assessed = SelfAssessment.objects.filter(enrollment__in=mentees)
    assert list(assessed.values_list("enrollment_id", flat=True)) == [start.enrollment_id]

    client.force_login(student)
    assert client.get(reverse("competence_student")).status_code == 200
    client.force_login(mentor)
    url = reverse("competence_mentee", args=[start.enrollment_id])
    assert client.get(url).status_code == 200
