"""Finalizing asks first through the shared confirmation: it shows how far the
steering group's judging got, and an incomplete judging must be acknowledged."""

import pytest
from django.urls import reverse

from assessments.confirmations import judging_completion
from assessments.models import Evaluation, Judgment

from .evaluation_helpers import compute, evaluating, judge, populate
from .test_evaluation_finalize import the_enrollment

pytestmark = pytest.mark.django_db


def finalize_url(cycle):
    return reverse("admin:assessments_evaluation_finalize", args=[cycle.pk])


@pytest.fixture
def computed(world):
    cycle = evaluating(world.cycle)
    populate(cycle, students=2, judge_user=world.steering)
    return compute(cycle, world.coordinator)


def test_page_shows_judging_progress_and_asks_to_acknowledge(client, world, computed):
    entered, expected, _lines = judging_completion(world.cycle, computed)
    assert 0 < entered < expected
    client.force_login(world.coordinator)
    page = client.get(finalize_url(world.cycle))
    assert f"{entered} of {expected} judgments entered by the steering group." in page.text
    assert f"Sam Steering: {entered} of {expected}" in page.text
    assert 'name="acknowledge"' in page.text
    assert not Evaluation.objects.get(cycle=world.cycle).is_final


def test_missing_acknowledgement_is_a_form_error_and_changes_nothing(client, world, computed):
    client.force_login(world.coordinator)
    response = client.post(finalize_url(world.cycle), {"confirmed": "1"})
    assert response.status_code == 400
    assert "Tick this box to go ahead." in response.text
    assert not Evaluation.objects.get(cycle=world.cycle).is_final
    response = client.post(finalize_url(world.cycle), {"confirmed": "1", "acknowledge": "on"})
    assert response.status_code == 302
    assert Evaluation.objects.get(cycle=world.cycle).is_final


def test_no_judgment_at_all_is_shown_as_zero(client, world, computed):
    Judgment.objects.filter(evaluation=computed).delete()
    computed = compute(world.cycle, world.coordinator)
    _entered, expected, _lines = judging_completion(world.cycle, computed)
    client.force_login(world.coordinator)
    page = client.get(finalize_url(world.cycle))
    assert f"0 of {expected} judgments entered" in page.text


def test_a_judgment_saved_after_the_page_still_refuses(client, world, computed):
    client.force_login(world.coordinator)
    assert client.get(finalize_url(world.cycle)).status_code == 200
    judge(computed, "student_judged", the_enrollment(world, world.cycle), world.steering, 9)
    response = client.post(finalize_url(world.cycle), {"confirmed": "1", "acknowledge": "on"})
    assert response.status_code == 409
    assert "Re-compute first" in response.text
    assert not Evaluation.objects.get(cycle=world.cycle).is_final
