"""Publishing the awards asks first through the shared confirmation, and the
final POST re-checks: a candidate left undecided meanwhile stops it."""

import pytest
from django.urls import reverse

from assessments.awards import propose_awards
from assessments.models import Award, AwardDecision
from mentorship.models import Notification

from .awards_setup import category, rewarding

pytestmark = pytest.mark.django_db


def publish_url(cycle):
    return reverse("admin:assessments_award_publish", args=[cycle.pk])


@pytest.fixture
def confirmed_award(world):
    aw = rewarding(world)
    category(world, "outstanding_student", quota=1)
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    Award.objects.filter(evaluation=aw.evaluation).update(decision=AwardDecision.CONFIRMED)
    return aw


def test_a_candidate_proposed_after_the_page_stops_the_publication(client, world, confirmed_award):
    client.force_login(world.coordinator)
    page = client.get(publish_url(world.cycle))
    assert "1 person is notified" in page.text
    Award.objects.filter(evaluation=confirmed_award.evaluation).update(
        decision=AwardDecision.PENDING
    )
    response = client.post(publish_url(world.cycle), {"confirmed": "1"})
    assert response.status_code == 409
    assert "1 candidate is still to be decided." in response.text
    assert not Award.objects.filter(published_at__isnull=False).exists()
    assert not Notification.objects.exists()


def test_nothing_to_publish_offers_no_button(client, world, confirmed_award):
    Award.objects.update(decision=AwardDecision.DECLINED, reason="Not this year.")
    client.force_login(world.coordinator)
    page = client.get(publish_url(world.cycle))
    assert "Nothing new to publish." in page.text
    assert 'name="confirmed"' not in page.text
