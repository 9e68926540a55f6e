"""Staff accounts without a role in the cycle's program reach none of the
evaluation, judging, awards or survey pages of a cycle: 403, not an empty page."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "evaluation_cycle",
        "evaluation_progress",
        "evaluation_finalize",
        "evaluation_export_xlsx",
        "evaluation_awards_csv",
        "judgment_judge",
        "judgment_overview",
        "award_cycle",
        "award_publish",
        "surveyresponse_results",
    ],
)
def test_staff_without_a_role_get_403(client, world, name):
    client.force_login(f.UserFactory(is_staff=True))
    page = reverse(f"admin:assessments_{name}", args=[world.cycle.pk])
    assert client.get(page).status_code == 403
