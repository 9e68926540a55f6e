"""A career plan in a browser: draft, submit, returned, resubmit, accepted."""

import pytest
from playwright.sync_api import expect

from assessments.models import Review, Submission
from tests import factories as f

from .test_login import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = {
    "self_awareness__strengths": "Careful with numbers",
    "self_awareness__values": "Honesty",
    "self_awareness__interests": "Audit",
    "career_exploration__targets": "Audit firms",
    "career_exploration__people": "Two auditors",
    "decision_making__goals": "An audit internship",
    "decision_making__milestones": "CPA exam part 1",
    "decision_making__timeline": "By next summer",
}


def sign_out(page):
    page.context.clear_cookies()


def test_draft_submit_return_resubmit_accept(page, live_server, world, csp_violations):
    plan = f.RequirementFactory(cycle=world.cycle, kind_code="career_plan")

    # The student drafts part of the plan, comes back, completes and submits it.
    sign_in(page, live_server, world.student.email)
    page.wait_for_url(f"{live_server.url}/student/")
    page.click("text=Personal career plan")
    page.fill("textarea[name=self_awareness__strengths]", "Careful with numbers")
    page.click("button[value=draft]")
    page.wait_for_selector("text=Your draft was saved.")
    assert page.input_value("textarea[name=self_awareness__strengths]") == "Careful with numbers"
    for name, text in ANSWERS.items():
        page.fill(f"textarea[name={name}]", text)
    page.click("button[value=submit]")
    page.wait_for_selector("text=Version 1 was submitted to your mentor.")
    sign_out(page)

    # The mentor finds it waiting on the home page and returns it.
    sign_in(page, live_server, world.mentor.email)
    page.wait_for_url(f"{live_server.url}/mentor/")
    page.click("text=Stu Student · Personal career plan · Version 1")
    page.check("input[name=decision][value=returned]")
    page.fill("textarea[name=comment]", "Name the firms you target.")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("text=Your review was saved")
    sign_out(page)

    # The student reads the comment, revises from the returned version, resubmits.
    sign_in(page, live_server, world.student.email)
    page.wait_for_url(f"{live_server.url}/student/")
    assert page.locator("text=Returned for revision").first.is_visible()
    assert page.locator("text=Name the firms you target.").first.is_visible()
    page.click("text=Personal career plan")
    assert page.input_value("textarea[name=career_exploration__targets]") == "Audit firms"
    page.fill("textarea[name=career_exploration__targets]", "Deloitte and KPMG audit")
    page.click("button[value=submit]")
    page.wait_for_selector("text=Version 2 was submitted to your mentor.")
    sign_out(page)

    # The mentor accepts version 2, seeing version 1 beside it.
    sign_in(page, live_server, world.mentor.email)
    page.wait_for_url(f"{live_server.url}/mentor/")
    page.click("text=Stu Student · Personal career plan · Version 2")
    # Wait for the review page: the click navigates.
    expect(page.locator("#version-1")).to_be_visible()
    assert "Audit firms" in page.locator("#version-1").inner_text()
    page.check("input[name=decision][value=accepted]")
    page.fill("input[name=grade]", "90")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("text=Your review was saved")
    sign_out(page)

    # The student sees both versions, the comment and the acceptance.
    sign_in(page, live_server, world.student.email)
    page.wait_for_url(f"{live_server.url}/student/")
    page.click("text=Personal career plan")
    expect(page.locator("#version-2")).to_be_visible()
    expect(page.locator("#version-1")).to_be_visible()
    assert "Name the firms you target." in page.locator("#version-1").inner_text()
    assert "Deloitte and KPMG audit" in page.locator("#version-2").inner_text()
    assert "Grade 90/100" in page.locator("#version-2").inner_text()
    assert page.locator("text=it is complete").is_visible()

    assert list(Submission.objects.filter(requirement=plan).values_list("number", flat=True)) == [
        1,
        2,
    ]
    assert list(Review.objects.order_by("pk").values_list("decision", flat=True)) == [
        "returned",
        "accepted",
    ]
    assert csp_violations == []
