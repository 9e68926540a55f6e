"""The survey results of a cycle in the admin, for coordinators and steering members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.survey import submit_survey
from tests import factories as f

from .survey_helpers import full_answers, open_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return open_survey(world.cycle)


def results_url(cycle):
    return reverse("admin:assessments_surveyresponse_results", args=[cycle.pk])


def answer(cycle, enrollment, value, text=""):
    submit_survey(
        cycle=cycle,
        respondent=enrollment.student.user,
        audience="student",
        participation=enrollment,
        answers=full_answers(cycle, "student", value=value, text=text),
    )


def add_answers(cycle, n, value=5):
    for i in range(n):
        answer(cycle, f.EnrollmentFactory(cycle=cycle), value, text=f"Comment {i}")


def test_rates_distribution_and_unsigned_comments(client, world, cycle):
    answer(cycle, f.EnrollmentFactory(cycle=cycle), 5, "Zebra-striped salons, please")
    answer(cycle, f.EnrollmentFactory(cycle=cycle), 4, "Add a workshop")
    answer(cycle, f.EnrollmentFactory(cycle=cycle), 2)
    client.force_login(world.steering)
    page = client.get(results_url(cycle)).content.decode()
    # 4 students asked (the persona did not answer), 3 answered; 1 mentor asked, none answered.
    assert "3 / 4" in page and "0 / 1" in page and "60%" in page
    # 2 of the 3 respondents answered 4 or 5 to the overall question.
    assert "67%" in page and "below the 90% line" in page
    assert page.index("Add a workshop") < page.index("Zebra-striped salons")
    respondents = [r.respondent.full_name for r in cycle.survey_responses.all()]
    assert not any(name in page for name in respondents)


def test_the_90_percent_line_met(client, world, cycle):
    add_answers(cycle, 2, value=4)
    client.force_login(world.coordinator)
    page = client.get(results_url(cycle)).content.decode()
    assert "100%" in page and "at or above the 90% line" in page


def test_changelist_links_to_the_results_of_visible_cycles(client, world, cycle):
    client.force_login(world.coordinator)
    page = client.get(reverse("admin:assessments_surveyresponse_changelist")).content.decode()
    assert results_url(cycle) in page
    open_survey(world.other_cycle)
    assert results_url(world.other_cycle) not in page


def test_anonymous_and_students_go_to_login(client, world, cycle):
    assert "/login/" in client.get(results_url(cycle)).url
    client.force_login(world.student)
    assert "/login/" in client.get(results_url(cycle)).url


def test_another_programs_staff_get_404_and_staff_without_the_right_403(client, world, cycle):
    client.force_login(world.other_coordinator)
    assert client.get(results_url(cycle)).status_code == 404
    client.force_login(f.UserFactory(is_staff=True))
    assert client.get(results_url(cycle)).status_code == 403


def test_nothing_changes_a_response_in_the_admin(client, world, cycle):
    add_answers(cycle, 1)
    response = cycle.survey_responses.get()
    client.force_login(world.coordinator)
    change = reverse("admin:assessments_surveyresponse_change", args=[response.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {}).status_code == 403
    delete = reverse("admin:assessments_surveyresponse_delete", args=[response.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_results_query_count_does_not_grow(client, world, cycle):
    client.force_login(world.coordinator)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(results_url(cycle)).status_code == 200
        return len(queries)

    add_answers(cycle, 1)
    small = measure()
    add_answers(cycle, 8, value=3)
    assert measure() == small
