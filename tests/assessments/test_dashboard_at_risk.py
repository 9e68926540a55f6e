"""The dashboard names the first students at risk and links the rest, which
have a page of their own, a page at a time, for the same people."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import dashboard as dashboard_module
from assessments import views_dashboard
from tests import factories as f

from .test_dashboard_pages import grow, leading_coach, plain_coach, queries  # noqa: F401

pytestmark = pytest.mark.django_db


def cycle_at_risk(world):
    return reverse("cycle_at_risk", args=[world.cycle.pk])


def group_at_risk(world):
    return reverse("group_at_risk", args=[world.team.pk])


@pytest.fixture
def overdue_plan(world):
    """A career plan past due: every student of the cycle without one is at risk."""
    return f.RequirementFactory(
        cycle=world.cycle,
        kind_code="career_plan",
        due_at=timezone.now() - datetime.timedelta(days=2),
    )


def test_the_dashboard_counts_all_names_a_few_and_links_the_rest(
    client, world, overdue_plan, monkeypatch
):
    monkeypatch.setattr(dashboard_module, "AT_RISK_SHOWN", 2)
    grow(world, overdue_plan, 6)  # three of the six hand the plan in
    client.force_login(world.coordinator)
    page = client.get(reverse("cycle_dashboard", args=[world.cycle.pk])).content.decode()
    assert "Show all 4 students at risk" in page  # the persona student and three more
    assert page.count('<th scope="row">', page.index("risk-title")) == 2
    assert cycle_at_risk(world) in page

    monkeypatch.setattr(views_dashboard, "AT_RISK_PAGE_SIZE", 3)
    first = client.get(cycle_at_risk(world))
    assert first.status_code == 200
    assert "4 students at risk" in first.content.decode()
    assert len(first.context["rows"]) == 3
    second = client.get(cycle_at_risk(world), {"page": 2})
    assert len(second.context["rows"]) == 1
    names = {row.enrollment.pk for row in first.context["rows"] + second.context["rows"]}
    assert len(names) == 4
    assert client.get(cycle_at_risk(world), {"page": 3}).status_code == 404
    assert client.get(cycle_at_risk(world), {"page": "x"}).status_code == 404


def test_no_link_when_everyone_is_named(client, world, overdue_plan):
    client.force_login(world.coordinator)
    page = client.get(reverse("cycle_dashboard", args=[world.cycle.pk])).content.decode()
    assert "Show all" not in page
    assert "Stu Student" in page


def test_access_follows_the_dashboards(client, world, leading_coach, plain_coach):  # noqa: F811
    assert "/accounts/login/" in client.get(cycle_at_risk(world))["Location"]
    client.force_login(world.coordinator)
    assert client.get(group_at_risk(world)).status_code == 200
    client.force_login(leading_coach)
    assert client.get(group_at_risk(world)).status_code == 200
    assert client.get(cycle_at_risk(world)).status_code == 403
    for person in (plain_coach, world.student):
        client.force_login(person)
        assert client.get(group_at_risk(world)).status_code == 403
    client.force_login(world.other_coordinator)
    assert client.get(cycle_at_risk(world)).status_code == 404
    assert client.get(group_at_risk(world)).status_code == 404


@pytest.mark.parametrize("url", [cycle_at_risk, group_at_risk])
def test_query_count_does_not_grow(client, world, overdue_plan, url):
    client.force_login(world.coordinator)
    grow(world, overdue_plan, 2)
    small = queries(client, url(world))
    grow(world, overdue_plan, 6)
    assert queries(client, url(world)) == small
