"""Committing a matching asks first, and the confirmed POST re-checks: a run
that went stale (preferences changed) since the page is refused."""

import pytest
from django.urls import reverse

from mentorship.matching_runs import run_matching
from mentorship.models import Enrollment, Match, StudentPreference

from .test_matching_preview import cycle  # noqa: F401

pytestmark = pytest.mark.django_db


def commit_url(run):
    return reverse("admin:mentorship_matchingrun_commit", args=[run.pk])


def test_commit_page_counts_and_changes_nothing(client, world, cycle):  # noqa: F811
    run = run_matching(cycle=cycle, by=world.coordinator)
    client.force_login(world.coordinator)
    page = client.get(commit_url(run)).text
    assert f"{run.matched_count} students are matched to mentors" in page
    assert f"{run.unmatched_count} student" in page
    assert "Nobody is told yet" in page
    assert not Match.objects.exists()
    assert not Enrollment.objects.filter(cycle=cycle, status="matched").exists()


def test_a_run_gone_stale_since_the_page_is_refused(client, world, cycle):  # noqa: F811
    run = run_matching(cycle=cycle, by=world.coordinator)
    client.force_login(world.coordinator)
    assert 'name="confirmed"' in client.get(commit_url(run)).text
    StudentPreference.objects.filter(enrollment__cycle=cycle).first().delete()
    response = client.post(commit_url(run), {"confirmed": "1"})
    assert response.status_code == 409
    assert not Match.objects.exists()


def test_steering_and_outsiders_may_not_commit(client, world, cycle):  # noqa: F811
    run = run_matching(cycle=cycle, by=world.coordinator)
    client.force_login(world.steering)
    assert client.get(commit_url(run)).status_code == 403
    assert client.post(commit_url(run), {"confirmed": "1"}).status_code == 403
    client.force_login(world.other_coordinator)
    assert client.get(commit_url(run)).status_code == 404
    client.logout()
    assert "login" in client.post(commit_url(run), {"confirmed": "1"}).url
    assert not Match.objects.exists()
