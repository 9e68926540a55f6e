"""Certificates: who downloads them, that the PDF renders with its Chinese
glyphs embedded, the fallback font, and the awards on the homes."""

import io
import logging
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from assessments.certificate import render_certificate
from assessments.models import Award, AwardDecision
from tests import factories as f
from tests.mentorship.test_home_queries import HOME_QUERY_BUDGET

from .awards_setup import rewarding

pytestmark = pytest.mark.django_db


def _award(aw, category, **subject):
    return Award.objects.create(
        evaluation=aw.evaluation,
        category=category,
        subject=category.subject,
        proposed=True,
        decision=AwardDecision.CONFIRMED,
        citation="For twelve confirmed meetings and every report on time.\n全年按时完成全部报告。",
        published_at=timezone.now(),
        **subject,
    )


@pytest.fixture
def aw(world):
    aw = rewarding(world)
    aw.student_one = _award(aw, aw.student_award, enrollment=aw.enrollment)
    aw.group_one = _award(aw, aw.group_award, group=world.team)
    return aw


def certificate(award):
    return reverse("award_certificate", args=[award.pk])


def test_anonymous_people_sign_in(client, aw):
    response = client.get(certificate(aw.student_one))
    assert response.status_code == 302 and "login" in response.url


def test_recipients_and_program_staff_download_others_get_404(client, world, aw):
    coach = f.GroupMembershipFactory(group=world.team, role="coach").mentor.user
    waiting = f.GroupPlacementFactory(group=world.team).student.user
    allowed = {
        aw.student_one: [world.student, world.coordinator, world.steering],
        aw.group_one: [world.student, world.mentor, coach, world.coordinator],
    }
    refused = {
        aw.student_one: [world.mentor, world.other_student, world.other_coordinator],
        aw.group_one: [waiting, world.other_mentor],
    }
    for award, people in allowed.items():
        for person in people:
            client.force_login(person)
            response = client.get(certificate(award))
            assert response.status_code == 200, person
            assert response["Content-Type"] == "application/pdf"
            assert "attachment" in response["Content-Disposition"]
            assert response["Cache-Control"] == "private, no-store"
    for award, people in refused.items():
        for person in people:
            client.force_login(person)
            assert client.get(certificate(award)).status_code == 404, person


def test_an_unpublished_award_has_no_certificate(client, world, aw):
    Award.objects.filter(pk=aw.student_one.pk).update(published_at=None)
    for person in (world.student, world.coordinator):
        client.force_login(person)
        assert client.get(certificate(aw.student_one)).status_code == 404


def test_pdf_certificate_renders(client, world, aw, tmp_path):
    client.force_login(world.student)
    pdf = client.get(certificate(aw.student_one)).content
    assert pdf.startswith(b"%PDF")
    assert b"FontFile2" in pdf  # the Chinese font is embedded, not left to the viewer
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils is not installed (.ci/run installs it)")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "优秀学生" in text and "Outstanding student" in text
    assert "Stu Student" in text and "2026-2027" in text and "全年按时完成全部报告" in text
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-singlefile", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.width > image.height  # landscape
    dark = sum(1 for value in image.getdata() if value < 128)
    assert dark > 0.005 * image.width * image.height  # not blank


def test_without_the_font_file_it_falls_back_and_warns(world, aw, settings, caplog):
    settings.CERTIFICATE_FONT = "/nonexistent/font.ttf"
    with caplog.at_level(logging.WARNING, logger="assessments.certificate"):
        pdf = render_certificate(aw.student_one)
    assert pdf.startswith(b"%PDF") and b"STSong-Light" in pdf
    assert "not found" in caplog.text


def test_homes_list_the_awards_in_a_fixed_number_of_queries(client, world, aw):
    def home(persona, name):
        client.force_login(getattr(world, persona))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        return response, len(queries)

    student_home, small = home("student", "student_home")
    assert certificate(aw.student_one) in student_home.text
    assert certificate(aw.group_one) in student_home.text
    mentor_home, mentor_small = home("mentor", "mentor_home")
    assert certificate(aw.group_one) in mentor_home.text
    assert certificate(aw.student_one) not in mentor_home.text
    for index in range(5):
        cycle = f.CycleFactory(program=world.program, name=f"extra-{index}")
        evaluation = type(aw.evaluation).objects.create(cycle=cycle)
        enrollment = f.EnrollmentFactory(student=world.student.student_profile, cycle=cycle)
        engagement = f.EngagementFactory(mentor=world.mentor.mentor_profile, cycle=cycle)
        for held in (
            _award(aw, aw.student_award, enrollment=enrollment),
            _award(aw, aw.mentor_award, engagement=engagement),
        ):
            Award.objects.filter(pk=held.pk).update(evaluation=evaluation)
    student_home, large = home("student", "student_home")
    assert student_home.text.count("certificate.pdf") == 7
    assert large == small <= HOME_QUERY_BUDGET
    assert home("mentor", "mentor_home")[1] == mentor_small <= HOME_QUERY_BUDGET
