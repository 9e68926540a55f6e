"""Saving a page of award decisions: set-based (the same queries for 5 rows
as for 20), with the override rule checked in Python as the database checks it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.awards import AwardError, decide_awards
from assessments.models import Award, AwardDecision

from .awards_setup import category, proposed, rewarding, row, students

pytestmark = pytest.mark.django_db

CONFIRM, DECLINE, PENDING = AwardDecision.CONFIRMED, AwardDecision.DECLINED, AwardDecision.PENDING


@pytest.fixture
def aw(world):
    aw = rewarding(world)
    aw.top = category(world, "outstanding_student")
    students(aw.evaluation, range(2, 21))  # twenty students ranked, the persona first
    return aw


def test_saving_a_page_takes_the_same_queries_whatever_its_rows(client, world, aw):
    client.force_login(world.steering)
    decide = reverse("admin:assessments_award_decide", args=[world.cycle.pk])

    def save(size):
        awards = proposed(world, aw, size)
        # One row published since the page was shown: named, not saved.
        late, *rest = awards
        Award.objects.filter(pk=late.pk).update(decision=CONFIRM, published_at=timezone.now())
        data = row(late, CONFIRM, citation="Changed")
        for n, award in enumerate(rest):
            if n % 2:
                data.update(row(award, DECLINE, reason="Left the program"))
            else:
                data.update(row(award, CONFIRM, citation=f"Row {n}"))
        with CaptureQueriesContext(connection) as queries:
            response = client.post(decide, data)
        assert response.status_code == 302
        stored = Award.objects.filter(pk__in=[a.pk for a in rest], decided_by=world.steering)
        assert stored.count() == size - 1
        assert Award.objects.get(pk=late.pk).citation == ""
        return len(queries)

    assert save(5) == save(20)


def test_the_service_refuses_a_candidate_withdrawn_meanwhile(world, aw):
    first, second = proposed(world, aw, 2)
    Award.objects.filter(pk=second.pk).delete()
    confirm = {"decision": CONFIRM, "reason": "", "citation": ""}
    with pytest.raises(AwardError, match="no longer listed") as refused:
        decide_awards(decisions=[(first, confirm), (second, confirm)], by=world.steering)
    assert refused.value.award == second
    assert Award.objects.get(pk=first.pk).decision == PENDING


@pytest.mark.parametrize("by_rank", [True, False])
@pytest.mark.parametrize("decision", [PENDING, CONFIRM, DECLINE])
@pytest.mark.parametrize("reason", ["", "Why"])
def test_the_python_override_rule_is_the_constraint(world, aw, by_rank, decision, reason):
    [award] = proposed(world, aw, 1)
    award.proposed, award.decision, award.reason = by_rank, decision, reason
    try:
        award.validate_constraints()  # asks the database
    except ValidationError:
        refused = True
    else:
        refused = False
    assert award.lacks_reason() == refused
