"""On a phone: a student says they are going, the organiser takes attendance."""

import datetime

import pytest
from django.utils import timezone

from sessions_app.models import Registration
from tests import factories as f

from .test_login import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_rsvps_and_organiser_takes_attendance(page, live_server, world, csp_violations):
    # Starts soon: answers are still open and attendance already is.
    activity = f.ActivityFactory(
        cycle=world.cycle,
        group=world.team,
        title="Finance salon",
        capacity=10,
        starts_at=timezone.now() + datetime.timedelta(minutes=30),
        created_by=world.mentor,
    )
    f.ActivityInvitationFactory(activity=activity, group=world.team)
    page.set_viewport_size({"width": 390, "height": 844})

    sign_in(page, live_server, world.student.email)
    page.wait_for_url(f"{live_server.url}/student/")
    item = page.locator("li.list-group-item", has_text="Finance salon")
    item.locator("button[name=going][value='1']").click()
    page.wait_for_selector("text=You are going to Finance salon.")
    assert page.url == f"{live_server.url}/student/"
    assert "Going" in page.locator("li.list-group-item", has_text="Finance salon").inner_text()
    registration = Registration.objects.get(activity=activity, user=world.student)
    assert registration.status == "going"
    page.context.clear_cookies()

    sign_in(page, live_server, world.mentor.email)
    page.wait_for_url(f"{live_server.url}/mentor/")
    page.goto(f"{live_server.url}/activities/")
    page.locator("li.list-group-item", has_text="Finance salon").locator(
        "text=Take attendance"
    ).click()
    page.wait_for_url(f"{live_server.url}/activities/{activity.pk}/attendance/")
    page.click(f"label[for=mark_{registration.pk}_present]")
    page.click("#attendance-form button[type=submit]")
    page.wait_for_selector("text=Attendance saved")
    registration.refresh_from_db()
    assert registration.attendance == "present"
    assert page.is_checked(f"#mark_{registration.pk}_present")
    assert csp_violations == []


def test_student_is_asked_before_giving_up_a_place_at_a_full_activity(
    page, live_server, world, csp_violations
):
    activity = f.ActivityFactory(
        cycle=world.cycle,
        group=world.team,
        title="Finance salon",
        capacity=1,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        created_by=world.mentor,
    )
    f.ActivityInvitationFactory(activity=activity, group=world.team)
    f.RegistrationFactory(activity=activity, user=world.student, status="going")
    waiting = f.RegistrationFactory(activity=activity, status="waitlisted", position=1)
    page.set_viewport_size({"width": 390, "height": 844})

    sign_in(page, live_server, world.student.email)
    page.wait_for_url(f"{live_server.url}/student/")
    page.locator("li.list-group-item", has_text="Finance salon").get_by_role(
        "button", name="Cancel my place"
    ).click()
    # The confirmation page: where the place goes; nothing given away yet.
    consequences = page.locator("#consequences")
    consequences.wait_for()
    assert "waiting list" in consequences.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Registration.objects.get(pk=waiting.pk).status == "waitlisted"
    page.get_by_role("button", name="Yes, give up my place").click()
    page.wait_for_selector("text=You are not going to Finance salon.")
    assert page.url == f"{live_server.url}/student/"
    assert Registration.objects.get(pk=waiting.pk).status == "going"
    assert csp_violations == []
