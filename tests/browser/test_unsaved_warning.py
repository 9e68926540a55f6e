"""The judging page asks before leaving with scores typed and not saved, and
its paging saves them first."""

import pytest

from assessments.models import Judgment
from tests import factories as f
from tests.assessments.judging_setup import judge_url, judging_world

from .test_login import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leaving_asks_and_paging_saves(page, live_server, world, csp_violations):
    jw = judging_world(world)
    for number in range(55):
        f.EnrollmentFactory(cycle=world.cycle, student__user__full_name=f"Zed {number:02}")
    sign_in(page, live_server, world.steering.email)
    page.wait_for_url(f"{live_server.url}/steering/")
    page.goto(live_server.url + judge_url(world.cycle))
    field = f"input[name=score-{jw.enrollment.pk}-{jw.student_judged.pk}]"
    page.fill(field, "7")

    asked = []

    def dismiss(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", dismiss)
    page.get_by_role("link", name="Mentors", exact=True).click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.input_value(field) == "7" and "kind=mentor" not in page.url
    page.remove_listener("dialog", dismiss)

    page.get_by_role("button", name="Save and go to the next page").click()
    page.wait_for_url("**page=2**")
    assert Judgment.objects.get(judge=world.steering).score == 7
    assert csp_violations == []
