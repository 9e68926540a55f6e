"""The paged admin pages that once grew with people, in a browser at phone
width: the awards page asks before leaving with decisions typed and saves
before paging; the teams page takes a team number per mentor."""

import pytest

from assessments.awards import propose_awards
from assessments.models import Award, AwardDecision
from mentorship.models import Engagement
from tests import factories as f
from tests.assessments.awards_setup import category, rewarding, students
from tests.mentorship.recruiting import add_roster_mentors, next_cycle
from tests.mentorship.test_teams_admin import add_matched

from .test_login import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page):
    """Nothing on the page is wider than the screen."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_awards_page_asks_before_leaving_and_saves_before_paging(
    page, live_server, world, csp_violations, monkeypatch
):
    monkeypatch.setattr("assessments.awards_page.PER_PAGE", 2)
    aw = rewarding(world)
    top = category(world, "outstanding_student", quota=3)
    students(aw.evaluation, [2, 3])
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    first = Award.objects.filter(category=top).order_by("pk").first()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.steering.email)
    page.wait_for_url(f"{live_server.url}/steering/")
    page.goto(f"{live_server.url}/admin/assessments/award/cycle/{world.cycle.pk}/")
    assert fits(page)
    page.fill(f"textarea[name=award-{first.pk}-citation]", "For a steady year.")
    page.check(f"input[name=award-{first.pk}-decision][value=confirmed]")

    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", dismiss)
    page.locator("#awards-filter").get_by_role("button", name="Show").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    page.remove_listener("dialog", dismiss)

    page.get_by_role("button", name="Save and go to the next page").click()
    page.wait_for_url("**page=2**")
    saved = Award.objects.get(pk=first.pk)
    assert (saved.decision, saved.citation) == (AwardDecision.CONFIRMED, "For a steady year.")
    assert csp_violations == []


def test_teams_page_takes_a_team_number_at_phone_width(page, live_server, world, csp_violations):
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage="kick_off")
    add_matched(cycle, world.coordinator, mentors=3, discipline="Law")
    add_matched(cycle, world.coordinator, mentors=3, discipline="Accounting")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.coordinator.email)
    page.wait_for_url(f"{live_server.url}/coordinator/")
    page.goto(f"{live_server.url}/admin/mentorship/group/cycle/{cycle.pk}/teams/")
    assert fits(page)
    number = page.locator("input[list=team-numbers]").first
    number.fill("3")
    page.fill("input[name=name_3]", "Team C")
    page.get_by_role("button", name="Save the teams").click()
    page.wait_for_selector(".messagelist")
    assert "The teams are saved." in page.locator(".messagelist").inner_text()
    assert "Team C" in page.content()
    assert csp_violations == []


def test_recruitment_page_asks_before_paging_away_from_ticked_mentors(
    page, live_server, world, csp_violations, monkeypatch
):
    monkeypatch.setattr("mentorship.admin_recruitment.MENTORS_PER_PAGE", 2)
    cycle = next_cycle(world)
    add_roster_mentors(world.program, 3)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.coordinator.email)
    page.wait_for_url(f"{live_server.url}/coordinator/")
    page.goto(f"{live_server.url}/admin/mentorship/engagement/cycle/{cycle.pk}/recruitment/")
    assert fits(page)
    page.locator("input[name=mentor]").first.check()

    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", dismiss)
    page.get_by_role("link", name="Next").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    page.remove_listener("dialog", dismiss)

    page.get_by_role("button", name="Invite selected").click()
    page.wait_for_selector(".messagelist")
    assert "1 mentor invited" in page.locator(".messagelist").inner_text()
    assert Engagement.objects.filter(cycle=cycle).count() == 1
    assert csp_violations == []
