"""The coordinator's "Mentor recruitment" page on a cycle."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Engagement, User
from mentorship.recruitment import priority_mentor_ids
from tests import factories as f

from .recruiting import add_roster_mentors, next_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return next_cycle(world)


def urls(cycle):
    return (
        reverse("admin:mentorship_engagement_recruitment", args=[cycle.pk]),
        reverse("admin:mentorship_engagement_invite", args=[cycle.pk]),
        reverse("admin:mentorship_engagement_invite_new", args=[cycle.pk]),
    )


def test_page_lists_roster_mentors_priority_first(client, world, cycle):
    Engagement.objects.filter(mentor__user=world.mentor, cycle=world.cycle).update(
        rated_excellent=True
    )
    (aaron,) = add_roster_mentors(world.program, 1, full_name="Aaron Early")
    page, _, _ = urls(cycle)
    client.force_login(world.coordinator)
    response = client.get(page)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.mentor.user for row in rows] == [world.mentor, aaron.user]
    assert rows[0].priority and not rows[1].priority
    html = response.content.decode()
    assert "★ Priority" in html and "Invite selected" in html
    assert "Invite a new mentor by e-mail" in html
    assert "other-mentor@example.test" not in html  # program B's roster


def test_coordinator_invites_selected_mentors(client, world, cycle, settings):
    settings.SITE_URL = "https://mentors.example.edu"
    first, second = add_roster_mentors(world.program, 2)
    page, invite, _ = urls(cycle)
    client.force_login(world.coordinator)
    response = client.post(invite, {"mentor": [first.pk, second.pk]}, follow=True)
    assert "2 mentors invited" in response.content.decode()
    assert set(Engagement.objects.filter(cycle=cycle).values_list("mentor", "status")) == {
        (first.pk, "invited"),
        (second.pk, "invited"),
    }
    assert len(mail.outbox) == 2
    # Links point at the site's public address, not at the request's host.
    assert "https://mentors.example.edu/mentor/engagements/" in mail.outbox[0].body

    response = client.post(invite, {"mentor": [first.pk]}, follow=True)
    assert "left unchanged" in response.content.decode()
    assert Engagement.objects.filter(cycle=cycle).count() == 2 and len(mail.outbox) == 2
    assert "Invited" in client.get(page).content.decode()


def test_nothing_selected_or_a_foreign_mentor_is_refused(client, world, cycle):
    _, invite, _ = urls(cycle)
    client.force_login(world.coordinator)
    response = client.post(invite, {}, follow=True)
    assert "Select at least one mentor" in response.content.decode()
    foreign = world.other_mentor.mentor_profile
    response = client.post(invite, {"mentor": [foreign.pk]}, follow=True)
    assert "Only mentors on the program" in response.content.decode()
    assert not Engagement.objects.filter(cycle=cycle).exists() and not mail.outbox


@pytest.mark.parametrize("value", ["\u00b2", "1" * 5000, "abc"])
def test_a_value_that_is_no_id_is_refused_like_a_foreign_mentor(client, world, cycle, value):
    _, invite, _ = urls(cycle)
    client.force_login(world.coordinator)
    mentor = world.mentor.mentor_profile
    response = client.post(invite, {"mentor": [mentor.pk, value]}, follow=True)
    assert "Only mentors on the program" in response.content.decode()
    assert not Engagement.objects.filter(cycle=cycle).exists() and not mail.outbox


def test_priority_window_hides_the_box_of_mentors_who_must_wait(client, world, cycle):
    cycle.priority_invitations_until = timezone.now() + datetime.timedelta(days=2)
    cycle.save()
    Engagement.objects.filter(mentor__user=world.mentor, cycle=world.cycle).update(
        rated_excellent=True
    )
    (later,) = add_roster_mentors(world.program, 1)
    page, invite, _ = urls(cycle)
    client.force_login(world.coordinator)
    html = client.get(page).content.decode()
    assert "only priority mentors" in html
    assert f'value="{world.mentor.mentor_profile.pk}"' in html
    assert f'value="{later.pk}"' not in html
    response = client.post(invite, {"mentor": [later.pk]}, follow=True)
    assert "Not invited yet" in response.content.decode()
    assert not Engagement.objects.filter(cycle=cycle).exists()


def test_coordinator_invites_a_new_person_by_email(client, world, cycle):
    _, _, invite_new = urls(cycle)
    client.force_login(world.coordinator)
    response = client.post(
        invite_new, {"name": "Nina New", "email": "nina@example.test"}, follow=True
    )
    assert "1 mentor invited: Nina New." in response.content.decode()
    user = User.objects.get(email="nina@example.test")
    assert Engagement.objects.filter(cycle=cycle, mentor__user=user, status="invited").exists()
    assert f"{settings.SITE_URL}/invitations/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"name": "X", "email": "not-an-address"}, "email", "valid email"),
        ({"name": "", "email": "x@example.test"}, "name", "required"),
        ({"name": "X", "email": "other-mentor@example.test"}, "email", "cannot be added"),
    ],
)
def test_a_bad_new_mentor_form_shows_why_and_changes_nothing(
    client, world, cycle, data, field, message
):
    _, _, invite_new = urls(cycle)
    client.force_login(world.coordinator)
    users = User.objects.count()
    response = client.post(invite_new, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["new_form"].errors[field])
    assert User.objects.count() == users
    assert not Engagement.objects.filter(cycle=cycle).exists() and not mail.outbox


def test_outside_setup_and_selection_the_page_only_shows(client, world):
    page, invite, _ = urls(world.cycle)  # tracking
    client.force_login(world.coordinator)
    html = client.get(page).content.decode()
    assert "only while the cycle is in setup or selection" in html
    assert "Invite selected" not in html
    (mentor,) = add_roster_mentors(world.program, 1)
    response = client.post(invite, {"mentor": [mentor.pk]}, follow=True)
    assert "only while the cycle is in setup or selection" in response.content.decode()
    assert not Engagement.objects.filter(mentor=mentor).exists()


def test_steering_member_may_look_but_not_invite(client, world, cycle):
    (mentor,) = add_roster_mentors(world.program, 1)
    page, invite, invite_new = urls(cycle)
    client.force_login(world.steering)
    response = client.get(page)
    assert response.status_code == 200 and "Invite selected" not in response.content.decode()
    assert client.post(invite, {"mentor": [mentor.pk]}).status_code == 403
    assert client.post(invite_new, {"name": "N", "email": "n@example.test"}).status_code == 403
    assert not Engagement.objects.filter(cycle=cycle).exists()


def test_coordinator_of_another_program_gets_404(client, world, cycle):
    (mentor,) = add_roster_mentors(world.program, 1)
    page, invite, invite_new = urls(cycle)
    client.force_login(world.other_coordinator)
    assert client.get(page).status_code == 404
    assert client.post(invite, {"mentor": [mentor.pk]}).status_code == 404
    assert client.post(invite_new, {"name": "N", "email": "n@example.test"}).status_code == 404
    assert not Engagement.objects.filter(cycle=cycle).exists()


@pytest.mark.parametrize("persona", [None, "student", "mentor"])
def test_people_without_admin_access_are_sent_to_the_admin_login(client, world, cycle, persona):
    if persona:
        client.force_login(getattr(world, persona))
    page, invite, _ = urls(cycle)
    for response in (client.get(page), client.post(invite, {"mentor": ["1"]})):
        assert response.status_code == 302 and "/login/" in response.url


def test_cycle_change_form_links_to_recruitment(client, world, cycle):
    client.force_login(world.coordinator)
    html = client.get(reverse("admin:programs_cycle_change", args=[cycle.pk])).content.decode()
    assert urls(cycle)[0] in html and "priority_invitations_until" in html


@pytest.mark.parametrize("query", [{}, {"status": "invited"}, {"q": "@", "page": "2"}])
def test_page_query_count_does_not_grow(client, world, cycle, query):
    page, _, _ = urls(cycle)
    client.force_login(world.coordinator)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page, query).status_code == 200
        return len(queries)

    def grow(count):
        for index, mentor in enumerate(add_roster_mentors(world.program, count)):
            if index % 2:
                f.EngagementFactory(
                    mentor=mentor, cycle=cycle, status="invited", invited_by=world.coordinator
                )
            f.EngagementFactory(mentor=mentor, cycle=world.cycle, rated_excellent=bool(index % 3))
        add_roster_mentors(world.other_program, count)

    grow(2)
    measure()  # warms per-process caches
    small = measure()
    grow(80)  # past a page of mentors
    assert measure() == small
    assert len(client.get(page).context["rows"]) == 50


def test_coordinator_marks_a_mentor_excellent_on_the_engagement(client, world, cycle):
    engagement = Engagement.objects.get(mentor__user=world.mentor, cycle=world.cycle)
    client.force_login(world.coordinator)
    url = reverse("admin:mentorship_engagement_change", args=[engagement.pk])
    page = client.get(url)
    assert page.status_code == 200 and "rated_excellent" in page.content.decode()
    data = {
        "mentor": engagement.mentor_id,
        "cycle": engagement.cycle_id,
        "capacity": engagement.capacity,
        "status": engagement.status,
        "rated_excellent": "on",
    }
    assert client.post(url, data).status_code == 302
    assert priority_mentor_ids(cycle) == {engagement.mentor_id}


def test_page_shows_fifty_mentors_and_links_to_the_next(client, world, cycle):
    add_roster_mentors(world.program, 60)  # with world.mentor: 61 on the roster
    page, _, _ = urls(cycle)
    client.force_login(world.coordinator)
    response = client.get(page)
    html = response.content.decode()
    assert len(response.context["rows"]) == 50 and html.count('name="mentor"') == 50
    assert "?page=2" in html and "Page 1 of 2 (61 in all)" in html
    # The figures at the top are the whole cycle's, not the page's.
    assert "Not invited: 61" in html
    second = client.get(page, {"page": 2})
    assert len(second.context["rows"]) == 11 and "?page=1" in second.content.decode()


def test_search_and_status_filter_narrow_the_rows_but_not_the_figures(client, world, cycle):
    invited, _ = add_roster_mentors(world.program, 2)
    (zoe,) = add_roster_mentors(world.program, 1, full_name="Zoë Searchable")
    f.EngagementFactory(mentor=invited, cycle=cycle, status="invited", invited_by=world.coordinator)
    page, _, _ = urls(cycle)
    client.force_login(world.coordinator)

    def shown(**query):
        response = client.get(page, query)
        return response, [row.mentor for row in response.context["rows"]]

    assert shown(q="searchable")[1] == [zoe]
    assert shown(q=zoe.user.email.upper())[1] == [zoe]
    assert shown(status="invited")[1] == [invited]
    response, mentors = shown(status="none")
    assert invited not in mentors and len(mentors) == 3
    html = response.content.decode()
    assert "Not invited: 3" in html and "invited, no answer yet: 1" in html
    response, mentors = shown(q="nobody-by-this-name")
    assert not mentors and "No mentor matches this search." in response.content.decode()


def test_an_unknown_status_says_so_and_shows_everyone(client, world, cycle):
    add_roster_mentors(world.program, 2)
    page, _, _ = urls(cycle)
    client.force_login(world.coordinator)
    response = client.get(page, {"status": "bogus"})
    assert response.status_code == 200 and len(response.context["rows"]) == 3
    assert "Select a valid choice" in response.content.decode()


def test_inviting_from_a_later_page_invites_those_rows_and_returns_there(client, world, cycle):
    mentors = add_roster_mentors(world.program, 60)
    page, invite, _ = urls(cycle)
    client.force_login(world.coordinator)
    html = client.get(page, {"page": 2}).content.decode()
    assert '<input type="hidden" name="page" value="2">' in html
    chosen = [mentors[-1].pk, mentors[-2].pk]
    response = client.post(invite, {"mentor": chosen, "page": "2", "q": "", "evil": "x"})
    assert response.status_code == 302 and response.url == f"{page}?page=2"
    assert set(Engagement.objects.filter(cycle=cycle).values_list("mentor", flat=True)) == set(
        chosen
    )
    assert len(mail.outbox) == 2
