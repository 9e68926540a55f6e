"""Who reaches the judging pages, what each sees of other judges' scores
before and after finalization, and the pages' query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Cycle, Stage
from tests import factories as f

from .judging_setup import finalize, judge_url, judging_world, judgment, overview_url

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:assessments_judgment_changelist"


@pytest.fixture
def jw(world):
    jw = judging_world(world)
    jw.mine = judgment(
        world, world.steering, jw.student_judged, 8, "MY-OWN-NOTE", enrollment=jw.enrollment
    )
    jw.theirs = judgment(
        world, jw.second, jw.student_judged, 4, "SECOND-JUDGE-NOTE", enrollment=jw.enrollment
    )
    return jw


def test_anonymous_people_are_sent_to_sign_in(client, world, jw):
    for url in (judge_url(world.cycle), overview_url(world.cycle), reverse(CHANGELIST)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("persona", ["mentor", "student"])
def test_mentors_and_students_have_no_admin_access(client, world, jw, persona):
    client.force_login(getattr(world, persona))
    for url in (judge_url(world.cycle), overview_url(world.cycle), reverse(CHANGELIST)):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


def test_staff_of_another_program_get_404(client, world, jw):
    client.force_login(world.other_coordinator)
    assert client.get(judge_url(world.cycle)).status_code == 404
    assert client.get(overview_url(world.cycle)).status_code == 404
    assert "SECOND-JUDGE-NOTE" not in client.get(reverse(CHANGELIST)).text


def test_coordinators_do_not_judge_and_see_only_counts_before_finalization(client, world, jw):
    client.force_login(world.coordinator)
    assert client.get(judge_url(world.cycle)).status_code == 403
    assert client.post(judge_url(world.cycle), {}).status_code == 403
    overview = client.get(overview_url(world.cycle))
    assert overview.status_code == 200
    assert "2 judges scored" in overview.text
    assert "MY-OWN-NOTE" not in overview.text and "SECOND-JUDGE-NOTE" not in overview.text
    listing = client.get(reverse(CHANGELIST))
    assert "NOTE" not in listing.text and listing.context["cl"].result_count == 0
    finalize(world)
    overview = client.get(overview_url(world.cycle))
    assert "MY-OWN-NOTE" in overview.text and "SECOND-JUDGE-NOTE" in overview.text
    assert client.get(reverse(CHANGELIST)).context["cl"].result_count == 2


def test_judges_cannot_see_each_other_until_finalization(client, world, jw):
    client.force_login(world.steering)
    page = client.get(judge_url(world.cycle))
    assert "MY-OWN-NOTE" in page.text and "SECOND-JUDGE-NOTE" not in page.text
    overview = client.get(overview_url(world.cycle)).text
    assert "2 judges scored" in overview and "NOTE" not in overview
    listing = client.get(reverse(CHANGELIST))
    assert list(listing.context["cl"].result_list) == [jw.mine]
    theirs = reverse("admin:assessments_judgment_change", args=[jw.theirs.pk])
    assert client.get(theirs).status_code == 302  # the admin's "does not exist" redirect
    finalize(world)
    page = client.get(judge_url(world.cycle))
    assert "MY-OWN-NOTE" in page.text and "SECOND-JUDGE-NOTE" in page.text
    assert page.context["form"] is None
    assert client.get(reverse(CHANGELIST)).context["cl"].result_count == 2
    assert client.get(theirs).status_code == 200


def test_the_plain_admin_never_writes_judgments(client, world, jw):
    client.force_login(world.steering)
    change = reverse("admin:assessments_judgment_change", args=[jw.mine.pk])
    assert client.get(reverse("admin:assessments_judgment_add")).status_code == 403
    client.post(change, {"score": "1", "comment": "changed"})
    jw.mine.refresh_from_db()
    assert (jw.mine.score, jw.mine.comment) == (8, "MY-OWN-NOTE")
    delete = reverse("admin:assessments_judgment_delete", args=[jw.mine.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_the_list_opens_with_the_cycles_to_judge_and_progress(client, world, jw):
    client.force_login(world.steering)
    listing = client.get(reverse(CHANGELIST))
    [entry] = listing.context["judging_cycles"]
    assert entry["cycle"] == world.cycle and entry["judge_url"] == judge_url(world.cycle)
    assert (entry["progress"].scored, entry["progress"].to_score) == (1, 3)
    assert "1 of 3 given, 2 to score" in listing.text
    assert f'href="{judge_url(world.cycle)}">Score</a>' in listing.text
    client.force_login(world.coordinator)
    [entry] = client.get(reverse(CHANGELIST)).context["judging_cycles"]
    assert entry["judge_url"] is None and entry["progress"] is None


def test_the_list_counts_what_is_left_to_score_only_while_scoring_is_open(client, world, jw):
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.CLOSED)
    client.force_login(world.steering)
    listing = client.get(reverse(CHANGELIST))
    [entry] = listing.context["judging_cycles"]
    assert entry["progress"] is None and "to score" not in listing.text
    assert entry["judge_url"] == judge_url(world.cycle)  # their judgments, read-only
    assert f'href="{judge_url(world.cycle)}">My judgments</a>' in listing.text


def add_people(world, n):
    for _ in range(n):
        enrollment = f.EnrollmentFactory(cycle=world.cycle)
        engagement = f.EngagementFactory(cycle=world.cycle)
        f.MatchFactory(enrollment=enrollment, engagement=engagement)
        group = f.GroupFactory(cycle=world.cycle)
        f.GroupMembershipFactory(group=group, mentor=engagement.mentor, role="chief")
        f.GroupMembershipFactory(
            group=group, mentor=None, student=enrollment.student, role="student"
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", ["student", "mentor", "group"])
def test_page_queries_do_not_grow_with_people(client, world, jw, kind):
    client.force_login(world.steering)
    urls = [judge_url(world.cycle, kind=kind), overview_url(world.cycle) + f"?kind={kind}"]
    add_people(world, 2)
    small = [count_queries(client, url) for url in urls]
    add_people(world, 8)
    assert [count_queries(client, url) for url in urls] == small
    finalize(world)
    small = [count_queries(client, url) for url in urls]
    add_people(world, 5)
    assert [count_queries(client, url) for url in urls] == small


def test_the_list_queries_do_not_grow_with_judgments(client, world, jw):
    # The judge's own rows: a finalized evaluation takes no new judgments.
    client.force_login(world.steering)
    add_people(world, 2)
    small = count_queries(client, reverse(CHANGELIST))
    add_people(world, 6)
    for enrollment in world.cycle.enrollments.exclude(pk=jw.enrollment.pk):
        judgment(world, world.steering, jw.student_judged, 6, enrollment=enrollment)
    assert count_queries(client, reverse(CHANGELIST)) == small


def test_operators_do_not_judge_either(client, world, jw):
    operator = f.UserFactory(email="operator@example.test", is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert client.get(judge_url(world.cycle)).status_code == 403
    overview = client.get(overview_url(world.cycle))
    assert overview.status_code == 200 and "NOTE" not in overview.text
