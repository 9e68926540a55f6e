"""A long roster file in a browser: the coordinator uploads it, lands on the
import's page, sees the preview and confirms, without the page waiting."""

import pytest
from playwright.sync_api import expect

from mentorship import models as m
from tests.mentorship.roster_files import STUDENT_HEADERS, csv_bytes, student

from .test_login import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_long_roster_is_previewed_and_imported_on_its_page(
    page, live_server, world, settings, tmp_path, csp_violations
):
    settings.ROSTER_IMPORT_ASYNC_ROWS = 2
    rows = [
        student(email=f"s{n}@example.com", full_name=f"S {n}", student_number=f"N-{n}")
        for n in range(3)
    ]
    roster = tmp_path / "roster.csv"
    roster.write_bytes(csv_bytes(STUDENT_HEADERS, rows))
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, world.coordinator.email)
    page.wait_for_url(f"{live_server.url}/coordinator/")

    page.goto(f"{live_server.url}/admin/mentorship/studentprofile/import/")
    page.set_input_files("input[name=import_file]", str(roster))
    page.select_option("select[name=format]", label="csv")
    page.locator("form input[type=submit]").click()

    job = m.RosterImport.objects.get()
    page.wait_for_url(f"{live_server.url}/admin/mentorship/studentprofile/import/{job.pk}/")
    expect(page.locator("#roster-import-status")).to_contain_text("Preview ready")
    expect(page.locator("#roster-import-totals")).to_contain_text("3 new people")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not m.User.objects.filter(email="s0@example.com").exists()

    page.get_by_role("button", name="Confirm import").click()

    expect(page.locator("#roster-import-status")).to_contain_text("Done")
    assert m.Enrollment.objects.filter(cycle=world.cycle, student__user__email="s2@example.com")
    assert csp_violations == []
