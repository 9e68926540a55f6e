"""The whole selection in a browser: rank, judge, preview, commit, publish, see."""

import pytest
from django.core import mail

from mentorship.models import Match, StudentPreference
from programs.models import Stage
from tests import factories as f

from .test_login import sign_in
from .test_people_pages import PHONE, fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def selection(world):
    """Next year's cycle in selection: the mentor persona and two more, the student and one more."""
    world.program.preferences_count = 3
    world.program.save(update_fields=["preferences_count"])
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage=Stage.SELECTION)
    mine = f.EngagementFactory(cycle=cycle, mentor=world.mentor.mentor_profile, capacity=3)
    others = [
        f.EngagementFactory(cycle=cycle, capacity=3, mentor__user__full_name=name)
        for name in ("Ada Banker", "Ben Builder")
    ]
    enrollment = f.EnrollmentFactory(
        cycle=cycle, student=world.student.student_profile, status="applied"
    )
    rival = f.EnrollmentFactory(cycle=cycle, status="applied")
    StudentPreference.objects.create(enrollment=rival, engagement=mine, rank=1)
    return cycle, mine, others, enrollment


def sign_out(page):
    page.context.clear_cookies()


def test_rank_judge_preview_commit_publish_and_see(
    page, live_server, world, selection, csp_violations
):
    cycle, mine, (ada, ben), enrollment = selection

    # The student ranks three mentors, then moves Ada up with htmx.
    sign_in(page, live_server, world.student.email)
    page.wait_for_url(f"{live_server.url}/student/")
    page.click("text=Choose your mentors")
    # Each "Add as choice" in the mentor list saves the ranking plus that mentor.
    for name in ("Max Mentor", "Ben Builder", "Ada Banker"):
        page.click(".nav-tabs >> text=Mentors")
        page.locator("article", has_text=name).locator("button", has_text="Add as choice").click()
        page.wait_for_selector("#ranking-form")
    url = page.url
    page.click("button[name=move][value='3:up']")
    page.wait_for_function(
        "value => document.querySelector('input[name=rank_2]').value === value", arg=str(ada.pk)
    )
    assert page.url == url  # swapped in place, no page load
    page.set_viewport_size(PHONE)
    assert fits(page)  # names, arrows and remove fit a phone
    ranked = StudentPreference.objects.filter(enrollment=enrollment).order_by("rank")
    assert [p.engagement_id for p in ranked] == [mine.pk, ada.pk, ben.pk]
    sign_out(page)

    # The mentor ranks the student first, ahead of the rival who ranked them too.
    sign_in(page, live_server, world.mentor.email)
    page.wait_for_url(f"{live_server.url}/mentor/")
    page.click("text=Rank your applicants")
    page.select_option(f"select[name=rank_{enrollment.pk}]", "1")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Your judgement of the students was saved.")
    sign_out(page)

    # The coordinator runs the matching from the cycle's admin page, commits and publishes.
    sign_in(page, live_server, world.coordinator.email)
    page.wait_for_url(f"{live_server.url}/coordinator/")
    page.goto(f"{live_server.url}/admin/programs/cycle/{cycle.pk}/change/")
    page.click("text=Matching of mentors and students")
    page.click("input[value='Run the matching']")
    page.wait_for_selector("text=Matching preview ready")
    # Both steps ask first: how many are placed, then who is told by e-mail.
    page.click("#commit-link")
    page.wait_for_selector("#consequences")
    assert not Match.objects.exists()
    page.get_by_role("button", name="Yes, commit").click()
    page.wait_for_selector("text=The matching is committed")
    assert not Match.objects.filter(published_at__isnull=False).exists()
    page.click("#publish-link")
    page.wait_for_selector("text=told by e-mail")
    assert not Match.objects.filter(published_at__isnull=False).exists()
    page.get_by_role("button", name="Yes, publish and send the e-mails").click()
    page.wait_for_selector("text=matches are published")
    assert Match.objects.get(enrollment=enrollment).engagement == mine
    assert world.student.email in [address for message in mail.outbox for address in message.to]
    sign_out(page)

    # The student sees their mentor on the home page.
    sign_in(page, live_server, world.student.email)
    page.wait_for_url(f"{live_server.url}/student/")
    card = page.locator(".my-mentor")
    assert "Max Mentor" in card.inner_text()
    assert world.mentor.email in card.inner_text()
    assert csp_violations == []
