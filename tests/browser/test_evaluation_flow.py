"""The end of a cycle in a browser: the coordinator computes, a steering member
judges, the coordinator finalizes, proposes and publishes awards, and the
student downloads the certificate."""

import pytest
from playwright.sync_api import expect

from assessments.models import Award, AwardDecision
from programs.models import AwardCategory
from tests import factories as f
from tests.assessments.evaluation_helpers import criterion, evaluating, meeting, version

from .test_login import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def records(world, mentee):
    """The world's cycle in evaluation: one confirmed meeting, one accepted
    on-time deliverable, and one "outstanding student" award to give."""
    evaluating(world.cycle)
    meeting(world.cycle, world.mentor.mentor_profile, [world.student.student_profile])
    plan = f.RequirementFactory(cycle=world.cycle, kind_code="career_plan")
    version(plan, mentee, decision="accepted")
    AwardCategory.objects.filter(program=world.program, code="outstanding_student").update(quota=1)
    return mentee


def sign_out(page):
    page.context.clear_cookies()


def test_compute_judge_finalize_award_and_download(
    page, live_server, world, records, csp_violations
):
    cycle_url = f"{live_server.url}/admin/programs/cycle/{world.cycle.pk}/change/"
    stage_box = page.locator("#cycle-stage")

    # The coordinator computes from the cycle's evaluation page.
    sign_in(page, live_server, world.coordinator.email)
    page.wait_for_url(f"{live_server.url}/coordinator/")
    page.goto(cycle_url)
    stage_box.get_by_role("link", name="Evaluation", exact=True).click()
    page.get_by_role("button", name="Compute", exact=True).click()
    expect(page.locator("#standings")).to_contain_text("Stu Student")
    expect(page.locator(".messagelist")).to_contain_text("The evaluation is computed.")
    sign_out(page)

    # A steering member scores the student from their home page.
    sign_in(page, live_server, world.steering.email)
    page.wait_for_url(f"{live_server.url}/steering/")
    page.get_by_role("link", name="Score", exact=True).click()
    judged = criterion(world.cycle, "student_judged").pk
    page.fill(f"input[name=score-{records.pk}-{judged}]", "9")
    page.fill(f"textarea[name=comment-{records.pk}-{judged}]", "Steady all year.")
    page.get_by_role("button", name="Save my scores on this page").click()
    expect(page.locator(".messagelist")).to_contain_text("1 judgment saved.")
    sign_out(page)

    # The coordinator re-computes for the new judgment, finalizes, moves to reward.
    sign_in(page, live_server, world.coordinator.email)
    page.wait_for_url(f"{live_server.url}/coordinator/")
    page.goto(cycle_url)
    stage_box.get_by_role("link", name="Evaluation", exact=True).click()
    expect(page.locator("#finalize-refusal")).to_contain_text("Re-compute first")
    page.get_by_role("button", name="Re-compute").click()
    page.locator("#finalize-link").click()
    # Only the student was scored: judging is incomplete and must be acknowledged.
    expect(page.locator("#consequences")).to_contain_text("judgments entered by the steering")
    expect(page.locator("#consequences")).to_contain_text("Sam Steering: 1 of 3")
    page.get_by_label("Judging is incomplete (1 of 3 judgments entered)", exact=False).check()
    page.get_by_role("button", name="Yes, finalize").click()
    expect(page.locator("#finalized-banner")).to_be_visible()
    page.locator("#evaluation-next a").click()
    page.get_by_role("link", name="Move to Reward").click()
    page.get_by_role("button", name="Yes, move to Reward").click()
    expect(stage_box).to_contain_text("This cycle is in the Reward stage.")

    # It proposes from the ranking.
    stage_box.get_by_role("link", name="Awards", exact=True).click()
    page.get_by_role("button", name="Propose from the ranking").click()
    expect(page.locator(".award-row")).to_contain_text("Stu Student")
    sign_out(page)

    # The steering member confirms the student with a citation.
    sign_in(page, live_server, world.steering.email)
    page.wait_for_url(f"{live_server.url}/steering/")
    page.get_by_role("link", name="Awards", exact=True).click()
    row = page.locator(".award-row", has_text="Stu Student")
    row.get_by_label("Confirm").check()
    row.locator("textarea[name$=citation]").fill("For a year of steady work.")
    page.get_by_role("button", name="Save the decisions on this page").click()
    expect(page.locator(".messagelist")).to_contain_text("1 decision saved.")
    sign_out(page)

    # The coordinator publishes after the confirmation page.
    sign_in(page, live_server, world.coordinator.email)
    page.wait_for_url(f"{live_server.url}/coordinator/")
    page.goto(cycle_url)
    stage_box.get_by_role("link", name="Awards", exact=True).click()
    page.get_by_role("link", name="Publish…").click()
    expect(page.locator("#consequences")).to_contain_text("Stu Student")
    expect(page.locator("#consequences")).to_contain_text("1 person is notified")
    page.get_by_role("button", name="Yes, publish").click()
    expect(page.locator(".messagelist")).to_be_visible()
    sign_out(page)

    # The student finds the award on their home page and downloads the certificate.
    sign_in(page, live_server, world.student.email)
    page.wait_for_url(f"{live_server.url}/student/")
    awards = page.locator("#home-awards")
    expect(awards).to_contain_text("Outstanding student")
    with page.expect_download() as download:
        awards.get_by_role("link", name="Certificate (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    award = Award.objects.get(enrollment=records)
    assert award.decision == AwardDecision.CONFIRMED
    assert award.published_at is not None
    assert award.citation == "For a year of steady work."
    assert csp_violations == []
