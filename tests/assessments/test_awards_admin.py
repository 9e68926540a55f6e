"""The awards page of a cycle in the admin: who reaches it, what each role may
do there, the reason's message on the form, publication, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.awards import AwardError, decide_awards, propose_awards
from assessments.models import Award, AwardDecision
from mentorship.models import Notification
from programs.models import Cycle, Stage
from tests import factories as f

from .awards_setup import category, proposed, rewarding, row, stand, students

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
    response = client.post(url("decide", world.cycle.pk))
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
    assert client.post(url("decide", world.cycle.pk)).status_code == 404
    assert client.post(url("add_award", world.cycle.pk, aw.top.pk)).status_code == 404


def test_proposing_deciding_and_adding_are_post_only(client, world, aw):
    client.force_login(world.steering)
    for target in (
        url("propose", world.cycle.pk),
        url("decide", world.cycle.pk),
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
    assert f'action="{url("decide", world.cycle.pk)}"' in text
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
        url("decide", world.cycle.pk),
        {f"{prefix}-decision": "declined", f"{prefix}-reason": "", f"{prefix}-citation": ""},
    )
    assert response.status_code == 400
    assert "Say why the steering group departs from the proposal." in response.text
    assert Award.objects.get(pk=aw.award.pk).decision == AwardDecision.PENDING
    response = client.post(
        url("decide", world.cycle.pk),
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
    response = client.post(url("decide", world.cycle.pk), {f"{prefix}-decision": "confirmed"})
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
        url("decide", world.cycle.pk), {f"{prefix}-decision": "confirmed"}, follow=True
    )
    assert "The cycle is closed" in response.text
    assert Award.objects.get(pk=aw.award.pk).decision == AwardDecision.PENDING


@pytest.fixture
def three(world, aw):
    """Three proposed candidates to decide on one page."""
    return proposed(world, aw, 3)


def test_one_save_keeps_every_filled_row(client, world, aw, three):
    client.force_login(world.steering)
    page = client.get(url("cycle", world.cycle.pk)).text
    # One form for the page: the rows' fields belong to it, one button saves.
    assert page.count(f'action="{url("decide", world.cycle.pk)}"') == 1
    assert page.count('form="award-decisions"') >= 3 * 4 and "js/unsaved.js" in page
    data = {
        **row(three[0], "confirmed", citation="First"),
        **row(three[1], "confirmed", citation="Second"),
        **row(three[2], "declined", reason="Left the program"),
    }
    response = client.post(url("decide", world.cycle.pk), data, follow=True)
    assert "3 decisions saved." in response.text
    stored = Award.objects.filter(pk__in=[a.pk for a in three]).order_by("pk")
    assert [(a.decision, a.citation, a.reason) for a in stored] == [
        ("confirmed", "First", ""),
        ("confirmed", "Second", ""),
        ("declined", "", "Left the program"),
    ]
    assert {a.decided_by for a in stored} == {world.steering}


def test_a_bad_row_saves_nothing_and_is_marked(client, world, aw, three):
    client.force_login(world.steering)
    data = {
        **row(three[0], "confirmed", citation="First"),
        **row(three[1], "declined"),  # no reason
        **row(three[2], "", reason="A reason but no decision"),
    }
    response = client.post(url("decide", world.cycle.pk), data)
    assert response.status_code == 400
    text = response.text
    assert "Nothing was saved: 2 candidates need a correction (marked)." in text
    marked = text.split(f'id="award-{three[1].pk}"')[1].split("</tr>")[0]
    assert "Say why the steering group departs from the proposal." in marked
    marked = text.split(f'id="award-{three[2].pk}"')[1].split("</tr>")[0]
    assert "Confirm or decline the candidate." in marked
    # What was typed stays on the page.
    assert "First" in text.split(f'id="award-{three[0].pk}"')[1].split("</tr>")[0]
    assert set(Award.objects.values_list("decision", flat=True)) == {AwardDecision.PENDING}


def test_the_service_decides_all_or_none(world, aw, three):
    Award.objects.filter(pk=three[1].pk).update(
        decision=AwardDecision.CONFIRMED, published_at=timezone.now()
    )
    confirm = {"decision": AwardDecision.CONFIRMED, "reason": "", "citation": "First"}
    decline = {"decision": AwardDecision.DECLINED, "reason": "Oops", "citation": ""}
    with pytest.raises(AwardError) as refused:
        decide_awards(decisions=[(three[0], confirm), (three[1], decline)], by=world.steering)
    assert refused.value.award == three[1]
    assert Award.objects.get(pk=three[0].pk).decision == AwardDecision.PENDING
    assert decide_awards(decisions=[(three[0], confirm)], by=world.steering) == 1


def test_a_row_published_meanwhile_is_named_not_dropped_silently(client, world, aw, three):
    Award.objects.filter(pk=three[0].pk).update(
        decision=AwardDecision.CONFIRMED, citation="As printed", published_at=timezone.now()
    )
    client.force_login(world.steering)
    data = {**row(three[0], "confirmed", citation="New words"), **row(three[1], "confirmed")}
    response = client.post(url("decide", world.cycle.pk), data, follow=True)
    assert "1 decision saved." in response.text
    assert "Not saved for Stu Student (S" in response.text
    assert "the award was published meanwhile" in response.text
    assert Award.objects.get(pk=three[0].pk).citation == "As printed"
    # Posting a published row as it stands is no loss: nothing to report.
    unchanged = row(three[0], "confirmed", citation="As printed")
    response = client.post(url("decide", world.cycle.pk), unchanged, follow=True)
    assert "published meanwhile" not in response.text


def test_rows_left_as_they_were_are_not_saved_again(client, world, aw, three):
    Award.objects.filter(pk=three[0].pk).update(
        decision=AwardDecision.CONFIRMED, citation="Kept", decided_by=world.coordinator
    )
    client.force_login(world.steering)
    unchanged = row(three[0], "confirmed", citation="Kept")
    response = client.post(url("decide", world.cycle.pk), unchanged, follow=True)
    assert "Nothing to save: no decision was changed." in response.text
    data = {**unchanged, **row(three[1], "confirmed")}
    client.post(url("decide", world.cycle.pk), data)
    assert Award.objects.get(pk=three[0].pk).decided_by == world.coordinator
    assert Award.objects.get(pk=three[1].pk).decided_by == world.steering


def test_rows_of_another_cycle_are_not_read(client, world, aw, three):
    foreign = f.CycleFactory(program=world.program, name="Other year")
    stray = Award.objects.get(pk=three[0].pk)
    client.force_login(world.steering)
    response = client.post(url("decide", foreign.pk), row(stray, "confirmed"))
    assert response.status_code in (302, 404)
    assert Award.objects.get(pk=stray.pk).decision == AwardDecision.PENDING


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


def test_candidates_are_paged_and_a_page_saves_only_its_rows(client, world, aw, three, monkeypatch):
    monkeypatch.setattr("assessments.awards_page.PER_PAGE", 2)
    Award.objects.filter(pk=three[2].pk).update(decision=AwardDecision.CONFIRMED)
    client.force_login(world.steering)
    page = client.get(url("cycle", world.cycle.pk))
    text = page.text
    assert "Page 1 of 2 (3 in all)" in text
    assert f'id="award-{three[2].pk}"' not in text  # on the second page
    assert text.count('name="goto"') == 1  # "Save and go to the next page"
    # The second page's confirmed row is not posted, and stays as it was.
    data = {**row(three[0], "confirmed"), **row(three[1], "confirmed"), "goto": "2"}
    response = client.post(url("decide", world.cycle.pk), data)
    assert response.status_code == 302 and response.url.endswith("?page=2")
    assert Award.objects.get(pk=three[2].pk).decision == AwardDecision.CONFIRMED
    assert set(Award.objects.values_list("decision", flat=True)) == {AwardDecision.CONFIRMED}
    second = client.get(response.url).text
    assert f'id="award-{three[2].pk}"' in second and "Page 2 of 2 (3 in all)" in second


def test_filters_narrow_the_page_and_the_save_keeps_them(client, world, aw, three):
    Award.objects.filter(pk=three[0].pk).update(decision=AwardDecision.CONFIRMED)
    client.force_login(world.steering)
    pending = client.get(url("cycle", world.cycle.pk), {"decision": "pending"}).text
    assert f'id="award-{three[0].pk}"' not in pending
    assert f'id="award-{three[1].pk}"' in pending and f'id="award-{three[2].pk}"' in pending
    assert "3 candidates, 2 to decide." in pending
    assert f'action="{url("decide", world.cycle.pk)}?decision=pending"' in pending
    other = aw.mentor_award
    narrowed = client.get(url("cycle", world.cycle.pk), {"category": other.pk}).text
    assert "award-category" in narrowed and f'id="category-{aw.top.pk}"' not in narrowed
    # The form to add someone by hand comes with the category narrowed to (its choices).
    assert narrowed.count('class="award-add"') == 1 and 'class="award-add"' not in pending
    # Values a page never sends are ignored, not an error.
    odd = client.get(url("cycle", world.cycle.pk), {"category": "x", "decision": "maybe"})
    assert odd.status_code == 200 and f'id="award-{three[0].pk}"' in odd.text
    response = client.post(
        f"{url('decide', world.cycle.pk)}?decision=pending", row(three[1], "confirmed")
    )
    assert response.status_code == 302 and response.url.endswith("?decision=pending")


def test_a_refused_save_shows_the_rows_posted_whatever_the_filter(client, world, aw, three):
    client.force_login(world.steering)
    Award.objects.filter(pk=three[1].pk).update(decision=AwardDecision.CONFIRMED)
    # Posted from the "to decide" filter; the row was confirmed meanwhile elsewhere.
    response = client.post(
        f"{url('decide', world.cycle.pk)}?decision=pending",
        {**row(three[1], "declined"), **row(three[2], "confirmed", citation="Kept")},
    )
    assert response.status_code == 400
    marked = response.text.split(f'id="award-{three[1].pk}"')[1].split("</tr>")[0]
    assert "Say why the steering group departs from the proposal." in marked
    assert "Kept" in response.text.split(f'id="award-{three[2].pk}"')[1].split("</tr>")[0]
    assert f'id="award-{three[0].pk}"' not in response.text  # not posted


def test_paging_on_under_a_decision_filter_skips_no_one(client, world, aw, three, monkeypatch):
    monkeypatch.setattr("assessments.awards_page.PER_PAGE", 1)
    client.force_login(world.steering)
    decide = f"{url('decide', world.cycle.pk)}?decision=pending"
    # The first one decided leaves "to decide": the next one is on page 1 now.
    response = client.post(decide, {**row(three[0], "confirmed"), "goto": "2"})
    assert response.url.endswith("?decision=pending&page=1")
    page = client.get(response.url).text
    assert f'id="award-{three[1].pk}"' in page and "Page 1 of 2 (2 in all)" in page
    # Under "confirmed", a new citation keeps the row in the list: paging on is page 2.
    confirmed = f"{url('decide', world.cycle.pk)}?decision=confirmed&page=1"
    response = client.post(confirmed, {**row(three[0], "confirmed", citation="New"), "goto": "2"})
    assert response.url.endswith("?decision=confirmed&page=2")
