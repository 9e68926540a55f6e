"""The steering home leads to the judging page in the evaluation stage and
to the awards page in the reward stage."""

import pytest
from django.urls import reverse

from programs.models import Cycle, Stage

pytestmark = pytest.mark.django_db

JUDGE = "admin:assessments_judgment_judge"
AWARDS = "admin:assessments_award_cycle"


@pytest.mark.parametrize(
    "stage, shown, hidden",
    [
        (Stage.TRACKING, None, (JUDGE, AWARDS)),
        (Stage.EVALUATION, JUDGE, (AWARDS,)),
        (Stage.REWARD, AWARDS, (JUDGE,)),
        (Stage.CLOSED, None, (JUDGE, AWARDS)),
    ],
)
def test_the_cycle_row_links_to_what_the_stage_opens(client, world, stage, shown, hidden):
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=stage)
    client.force_login(world.steering)
    page = client.get(reverse("steering_home")).text
    if shown:
        assert f'href="{reverse(shown, args=[world.cycle.pk])}"' in page
    for name in hidden:
        assert f'href="{reverse(name, args=[world.cycle.pk])}"' not in page


def test_the_coordinator_home_keeps_its_admin_links_only(client, world):
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.EVALUATION)
    client.force_login(world.coordinator)
    page = client.get(reverse("coordinator_home")).text
    assert reverse("admin:programs_cycle_change", args=[world.cycle.pk]) in page
    assert reverse(JUDGE, args=[world.cycle.pk]) not in page
