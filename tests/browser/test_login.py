"""Sign in through a real browser, land on the role home, switch language."""

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click("main form button[type=submit]")


def test_coordinator_signs_in_and_reaches_the_admin(page, live_server, world, csp_violations):
    sign_in(page, live_server, world.coordinator.email)
    page.wait_for_url(f"{live_server.url}/coordinator/")
    assert page.locator("h1").inner_text() == "Coordinator overview"
    assert world.program.name in page.content()
    assert world.other_program.name not in page.content()

    page.click("text=Open the administration")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/programs/cycle/{world.cycle.pk}/change/")
    assert page.locator("#content h1, #content h2").first.is_visible()
    assert csp_violations == []


def test_student_signs_in_and_switches_to_chinese(page, live_server, world, csp_violations):
    sign_in(page, live_server, world.student.email)
    page.wait_for_url(f"{live_server.url}/student/")
    assert world.team.name in page.content()

    page.select_option("#language-select", "zh-hans")
    page.click("form[action='/i18n/setlang/'] button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "我的" in page.locator("main").inner_text()
    assert csp_violations == []


def test_wrong_password_shows_message(page, live_server, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", world.mentor.email)
    page.fill("input[name=password]", "not-the-password")
    page.click("main form button[type=submit]")
    assert page.locator(".invalid-feedback, .alert").first.is_visible()
    assert page.url.endswith("/accounts/login/")
