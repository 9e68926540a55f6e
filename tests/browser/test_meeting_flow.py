"""A mentor logs a meeting on the phone-sized page; the student confirms it from home."""

import datetime

import pytest
from django.utils import timezone

from mentorship.models import Engagement, Enrollment
from sessions_app.models import Meeting, MeetingParticipant
from tests import factories as f

from .test_login import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mentee(world):
    enrollment = Enrollment.objects.get(student__user=world.student, cycle=world.cycle)
    engagement = Engagement.objects.get(mentor__user=world.mentor, cycle=world.cycle)
    return f.MatchFactory(
        enrollment=enrollment,
        engagement=engagement,
        published_at=timezone.now() - datetime.timedelta(days=40),
    )


def test_mentor_logs_a_meeting_and_the_student_confirms(
    page, live_server, world, mentee, csp_violations
):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, world.mentor.email)
    page.wait_for_url(f"{live_server.url}/mentor/")
    assert page.locator(".mentee-at-risk").count() == 1
    page.click(".home-mentees >> text=Log a meeting")
    page.wait_for_url("**/mentor/meetings/new/**")
    when = timezone.localtime() - datetime.timedelta(hours=2)
    page.check(f"input[name=students][value='{world.student.student_profile.pk}']")
    page.fill("input[name=starts_at]", when.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=duration_minutes]", "50")
    page.select_option("select[name=mode]", "video")
    page.check("input[name=topics][value=career_planning]")
    page.check("input[name=topics][value=thesis]")
    page.fill("textarea[name=summary]", "Planned the thesis chapters and a summer internship.")
    page.fill("textarea[name=next_steps]", "Send the outline next week.")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=The meeting is logged.")
    meeting = Meeting.objects.get()
    assert meeting.topics == ["career_planning", "thesis"]
    assert page.locator("main").inner_text().count("Waiting for confirmation") == 1
    page.context.clear_cookies()

    sign_in(page, live_server, world.student.email)
    page.wait_for_url(f"{live_server.url}/student/")
    section = page.locator(".home-meetings")
    assert "Planned the thesis chapters" in section.inner_text()
    section.locator("button:has-text('Confirm')").click()
    page.wait_for_selector("text=the meeting is confirmed")
    assert page.locator(".home-meetings").count() == 0
    assert MeetingParticipant.objects.get().status == "confirmed"
    page.goto(f"{live_server.url}/student/meetings/")
    assert "Confirmed" in page.locator(".student-meeting").inner_text()
    page.context.clear_cookies()

    sign_in(page, live_server, world.mentor.email)
    page.wait_for_url(f"{live_server.url}/mentor/")
    assert page.locator(".mentee-at-risk").count() == 0
    assert "Last confirmed meeting" in page.locator(".home-mentees").inner_text()
    assert csp_violations == []


def test_choosing_a_group_shows_its_students(page, live_server, world, mentee, csp_violations):
    teammate = f.StudentProfileFactory(user__full_name="Tia Teammate")
    f.EnrollmentFactory(student=teammate, cycle=world.cycle)
    f.GroupMembershipFactory(
        group=world.team, student=teammate, mentor=None, role="student", published_at=timezone.now()
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, world.mentor.email)
    page.wait_for_url(f"{live_server.url}/mentor/")
    page.goto(f"{live_server.url}/mentor/meetings/new/")
    page.fill("textarea[name=summary]", "Typed before choosing the group.")
    students = page.locator("#div_id_students")
    assert "Tia Teammate" not in students.inner_text()
    page.select_option("select[name=group]", str(world.team.pk))
    page.wait_for_selector("#div_id_students >> text=Tia Teammate")
    assert page.input_value("textarea[name=summary]") == "Typed before choosing the group."
    assert not Meeting.objects.exists()
