"""The awards page of a cycle in the admin: who reaches it, what each role may
do there, the reason's message on the form, publication, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.awards import propose_awards
from assessments.models import Award, AwardDecision
from mentorship.models import Notification
from programs.models import Cycle, Stage
from tests import factories as f

from .awards_setup import category, rewarding, stand, students

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:assessments_award_{name}", args=args)


@pytest.fixture
def aw(world):
    aw = rewarding(world)
    aw.top = category(world, "outstanding_student", quota=1)
    aw.second, aw.third = students(aw.evaluation, [2, 2])
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    aw.award = Award.objects.get(evaluation=aw.evaluation, enrollment=aw.enrollment)
    return aw


def test_anonymous_people_sign_in_and_mentors_students_have_no_admin(client, world, aw):
    page = url("cycle", world.cycle.pk)
    response = client.get(page)
    assert response.status_code == 302 and "login" in response.url
    for persona in ("mentor", "student"):
        client.force_login(getattr(world, persona))
        response = client.get(page)
        assert response.status_code == 302 and "login" in response.url


def test_staff_of_another_program_get_404(client, world, aw):
    client.force_login(world.other_coordinator)
    assert client.get(url("cycle", world.cycle.pk)).status_code == 404
    assert client.post(url("propose", world.cycle.pk)).status_code == 404
    assert client.get(url("publish", world.cycle.pk)).status_code == 404
    assert client.post(url("decide", world.cycle.pk, aw.award.pk)).status_code == 404
    assert client.post(url("add_award", world.cycle.pk, aw.top.pk)).status_code == 404


def test_proposing_deciding_and_adding_are_post_only(client, world, aw):
    client.force_login(world.steering)
    for target in (
        url("propose", world.cycle.pk),
        url("decide", world.cycle.pk, aw.award.pk),
        url("add_award", world.cycle.pk, aw.top.pk),
    ):
        assert client.get(target).status_code == 405, target


def test_the_page_shows_candidates_in_rank_order_with_the_tie(client, world, aw):
    client.force_login(world.steering)
    page = client.get(url("cycle", world.cycle.pk))
    assert page.status_code == 200
    text = page.text
    assert "Stu Student" in text and "tied at the quota&#x27;s edge" not in text
    assert "Quota: 1 award." in text
    assert f'action="{url("decide", world.cycle.pk, aw.award.pk)}"' in text
    # The change form of the cycle links here.
    cycle_page = client.get(reverse("admin:programs_cycle_change", args=[world.cycle.pk]))
    assert url("cycle", world.cycle.pk) in cycle_page.text


def test_a_tie_at_the_edge_is_marked(client, world, aw):
    Award.objects.filter(evaluation=aw.evaluation).delete()
    category(world, "outstanding_student", quota=2)
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    client.force_login(world.coordinator)
    text = client.get(url("cycle", world.cycle.pk)).text
    # Two students share rank 2: the quota holds, the one proposed is marked.
    assert text.count("award-row award-tied") == 1


def test_declining_without_a_reason_shows_the_message_on_the_form(client, world, aw):
    client.force_login(world.steering)
    prefix = f"award-{aw.award.pk}"
    response = client.post(
        url("decide", world.cycle.pk, aw.award.pk),
        {f"{prefix}-decision": "declined", f"{prefix}-reason": "", f"{prefix}-citation": ""},
    )
    assert response.status_code == 400
    assert "Say why the steering group departs from the proposal." in response.text
    assert Award.objects.get(pk=aw.award.pk).decision == AwardDecision.PENDING
    response = client.post(
        url("decide", world.cycle.pk, aw.award.pk),
        {f"{prefix}-decision": "confirmed", f"{prefix}-citation": "A steady year"},
    )
    assert response.status_code == 302
    assert Award.objects.get(pk=aw.award.pk).citation == "A steady year"


def test_adding_without_a_reason_shows_the_message(client, world, aw):
    client.force_login(world.steering)
    prefix = f"add-{aw.top.pk}"
    add = url("add_award", world.cycle.pk, aw.top.pk)
    response = client.post(add, {f"{prefix}-subject": aw.third.pk, f"{prefix}-reason": ""})
    assert response.status_code == 400
    assert "Say why the steering group departs from the proposal." in response.text
    response = client.post(
        add, {f"{prefix}-subject": aw.third.pk, f"{prefix}-reason": "Led the salon"}
    )
    assert response.status_code == 302
    added = Award.objects.get(evaluation=aw.evaluation, enrollment=aw.third)
    assert added.reason == "Led the salon" and not added.proposed


def test_coordinators_see_decisions_but_do_not_decide(client, world, aw):
    client.force_login(world.coordinator)
    page = client.get(url("cycle", world.cycle.pk))
    assert page.status_code == 200 and "decide/" not in page.text
    prefix = f"award-{aw.award.pk}"
    response = client.post(
        url("decide", world.cycle.pk, aw.award.pk), {f"{prefix}-decision": "confirmed"}
    )
    assert response.status_code == 403
    assert client.post(url("add_award", world.cycle.pk, aw.top.pk), {}).status_code == 403


def test_steering_members_do_not_publish(client, world, aw):
    client.force_login(world.steering)
    assert client.get(url("publish", world.cycle.pk)).status_code == 403
    assert client.post(url("publish", world.cycle.pk), {"confirmed": "1"}).status_code == 403


def test_publish_asks_for_confirmation_then_notifies(client, world, aw):
    Award.objects.filter(pk=aw.award.pk).update(decision=AwardDecision.CONFIRMED)
    client.force_login(world.coordinator)
    confirm = client.get(url("publish", world.cycle.pk))
    assert confirm.status_code == 200 and "Yes, publish" in confirm.text
    assert not Notification.objects.exists()
    assert "1 award is published:" in confirm.text
    assert "1 person is notified" in confirm.text
    # Without the confirmation, the POST shows the page again and publishes nothing.
    assert client.post(url("publish", world.cycle.pk)).status_code == 200
    assert Award.objects.get(pk=aw.award.pk).published_at is None
    response = client.post(url("publish", world.cycle.pk), {"confirmed": "1"})
    assert response.status_code == 302
    assert Award.objects.get(pk=aw.award.pk).published_at is not None
    assert Notification.objects.get(kind="award_published").recipient == world.student
    # With everything decided and published, the page offers no publication.
    declined = {"decision": AwardDecision.DECLINED, "reason": "Not this year."}
    Award.objects.filter(evaluation=aw.evaluation).exclude(pk=aw.award.pk).update(**declined)
    assert url("publish", world.cycle.pk) not in client.get(url("cycle", world.cycle.pk)).text


def test_propose_button_and_closed_cycle_is_read_only(client, world, aw):
    client.force_login(world.steering)
    assert client.post(url("propose", world.cycle.pk)).status_code == 302
    # Proposing again replaced the undecided candidate with a new row.
    aw.award = Award.objects.get(evaluation=aw.evaluation, enrollment=aw.enrollment)
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.CLOSED)
    page = client.get(url("cycle", world.cycle.pk))
    assert "The cycle is closed" in page.text and "decide/" not in page.text
    client.post(url("propose", world.cycle.pk))
    prefix = f"award-{aw.award.pk}"
    response = client.post(
        url("decide", world.cycle.pk, aw.award.pk), {f"{prefix}-decision": "confirmed"}
    )
    assert "The cycle is closed" in response.text
    assert Award.objects.get(pk=aw.award.pk).decision == AwardDecision.PENDING


def _grow(aw, world, size):
    students(aw.evaluation, [3] * size)
    for _ in range(size):
        stand(aw.evaluation, f.EngagementFactory(cycle=world.cycle), 2, 50.0)
    category(world, "outstanding_student", quota=aw.top.quota + size)
    aw.top.refresh_from_db()
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)


@pytest.mark.parametrize("persona", ["steering", "coordinator"])
def test_page_query_count_does_not_grow(client, world, aw, persona):
    client.force_login(getattr(world, persona))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("cycle", world.cycle.pk)).status_code == 200
        return len(queries)

    _grow(aw, world, 2)
    small = count()
    _grow(aw, world, 8)
    assert count() == small
