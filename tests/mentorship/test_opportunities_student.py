"""Students mark how far they got with a recommendation."""

import pytest
from django.urls import reverse

from mentorship.models import OpportunityRecipient
from programs.models import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(world):
    enrollment = world.student.student_profile.enrollments.get(cycle=world.cycle)
    opportunity = f.OpportunityFactory(
        cycle=world.cycle, author=world.mentor.mentor_profile, role="Risk analyst"
    )
    return f.OpportunityRecipientFactory(opportunity=opportunity, enrollment=enrollment)


def status_url(recipient):
    return reverse("opportunity_status", args=[recipient.opportunity_id])


def test_student_lists_and_updates_status(client, world, sent):
    client.force_login(world.student)
    response = client.get(reverse("student_opportunities"))
    assert response.status_code == 200
    assert "Risk analyst" in response.content.decode()
    assert "<select" in response.content.decode()
    response = client.post(status_url(sent), {"status": "applied"})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == "applied"


def test_bad_status_changes_nothing(client, world, sent):
    client.force_login(world.student)
    response = client.post(status_url(sent), {"status": "hired"}, follow=True)
    assert "Choose one of the statuses." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == "new"


@pytest.mark.parametrize(
    "stage, allowed",
    [
        (Stage.KICK_OFF, True),
        (Stage.TRACKING, True),
        (Stage.EVALUATION, True),
        (Stage.REWARD, False),
        (Stage.CLOSED, False),
    ],
)
def test_status_window(client, world, sent, stage, allowed):
    world.cycle.stage = stage
    world.cycle.save(update_fields=["stage"])
    client.force_login(world.student)
    response = client.post(status_url(sent), {"status": "offer"}, follow=True)
    sent.refresh_from_db()
    assert (sent.status == "offer") == allowed
    if not allowed:
        assert "statuses can no longer be changed" in response.content.decode()


def test_get_on_status_url_not_allowed(client, world, sent):
    client.force_login(world.student)
    assert client.get(status_url(sent)).status_code == 405


def test_student_of_another_mentor_gets_404(client, world, sent):
    client.force_login(world.other_student)
    assert client.post(status_url(sent), {"status": "applied"}).status_code == 404
    assert list(client.get(reverse("student_opportunities")).context["recipients"]) == []
    sent.refresh_from_db()
    assert sent.status == "new"


@pytest.mark.parametrize("persona", ["mentor", "coordinator"])
def test_wrong_role_gets_403(client, world, sent, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("student_opportunities")).status_code == 403
    assert client.post(status_url(sent), {"status": "applied"}).status_code == 403
    assert OpportunityRecipient.objects.get().status == "new"


def test_homes_show_recommendations(client, world, sent):
    sent.status = "interview"
    sent.save(update_fields=["status"])
    client.force_login(world.student)
    content = client.get(reverse("student_home")).content.decode()
    assert "Risk analyst" in content
    assert "Interview" in content
    client.force_login(world.mentor)
    content = client.get(reverse("mentor_home")).content.decode()
    assert "My recommendations" in content
    assert "Interview: 1" in content
