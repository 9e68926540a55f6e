"""The ranking page holds only the student's choices: its size and queries do
not grow with the cycle's mentors, and mentors are added from the directory."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import EngagementStatus
from mentorship.selection import save_student_ranking
from tests import factories as f

from .test_selection_student import ranking, sel  # noqa: F401

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def grow_to(world, mentors):
    """Accepted mentors in the cycle until it has ``mentors`` of them."""
    for _ in range(mentors - len(world.mentors)):
        f.EngagementFactory(cycle=world.cycle, mentor__user__full_name="Extra Mentor")


def url(world):
    return reverse("selection_ranking", args=[world.enrollment.pk])


@pytest.fixture
def ranked(sel):  # noqa: F811
    a, b, *_ = sel.mentors
    save_student_ranking(enrollment=sel.enrollment, engagements=[a, b], by=sel.student)
    return sel


def measure(client, world):
    """(bytes without the CSRF token, <option>s, queries) of the page and of an htmx move."""
    a, b, *_ = world.mentors
    # The log is capped (9,000 entries): once full, a capture counts nothing.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as get_queries:
        page = client.get(url(world)).content.decode()
    with CaptureQueriesContext(connection) as post_queries:
        client.post(url(world), {"rank_1": a.pk, "rank_2": b.pk, "move": "1:down"}, **HTMX)
    save_student_ranking(enrollment=world.enrollment, engagements=[a, b], by=world.student)
    page = re.sub(r'value="[^"]{64}"', "", page)  # the CSRF token varies, not its length
    return len(page.encode()), page.count("<option"), len(get_queries), len(post_queries)


def test_page_size_and_queries_do_not_grow_with_mentors(client, ranked):
    client.force_login(ranked.student)
    grow_to(ranked, 10)
    small = measure(client, ranked)
    grow_to(ranked, 40)
    large = measure(client, ranked)
    # Printed for the report: (bytes, <option>s, queries of the page, of a move).
    print(f"ranking page at 10 and 40 mentors: {small} {large}")
    assert small == large
    # No mentor listed to choose from, only the two ranked.
    assert "Extra Mentor" not in client.get(url(ranked)).content.decode()


def test_page_shows_the_choices_with_their_buttons_and_the_way_to_add(client, ranked):
    client.force_login(ranked.student)
    a, b, c, _ = ranked.mentors
    page = client.get(url(ranked)).content.decode()
    assert f'<input type="hidden" name="rank_1" value="{a.pk}">' in page
    assert f'<input type="hidden" name="rank_2" value="{b.pk}">' in page
    assert "Ada Banker" in page and c.mentor.user.full_name not in page
    assert 'value="2:remove"' in page
    assert "You can add 1 more mentor from the mentor list." in page
    assert reverse("selection_mentors", args=[ranked.enrollment.pk]) in page


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_remove_takes_the_choice_out_and_closes_the_gap(client, ranked, headers):
    client.force_login(ranked.student)
    a, b, *_ = ranked.mentors
    data = {"rank_1": a.pk, "rank_2": b.pk, "move": "1:remove"}
    response = client.post(url(ranked), data, **headers)
    assert response.status_code in (200, 302)
    assert ranking(ranked.enrollment) == [b.pk]
    page = client.get(url(ranked)).content.decode()
    assert f'<input type="hidden" name="rank_1" value="{b.pk}">' in page


def test_add_from_the_directory_saves_the_ranking_plus_one(client, ranked):
    client.force_login(ranked.student)
    a, b, c, _ = ranked.mentors
    directory = client.get(reverse("selection_mentors", args=[ranked.enrollment.pk]))
    html = directory.content.decode()
    forms = re.findall(r"<form method=\"post\"[^>]*>(.*?)</form>", html, re.S)
    form = next(form for form in forms if "Add as choice" in form)
    data = dict(re.findall(r'name="(rank_\d)" value="(\d+)"', form))
    assert data == {"rank_1": str(a.pk), "rank_2": str(b.pk), "rank_3": str(c.pk)}
    response = client.post(url(ranked), data)
    assert response.status_code == 302
    assert ranking(ranked.enrollment) == [a.pk, b.pk, c.pk]


def test_outsider_is_an_error_on_its_row_and_keeps_the_other_choices(client, ranked):
    client.force_login(ranked.student)
    a, b, c, _ = ranked.mentors
    data = {"rank_1": c.pk, "rank_2": ranked.invited.pk, "rank_3": a.pk}
    response = client.post(url(ranked), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "You can only rank mentors taking part in this cycle." in page
    for position, pk in ((1, c.pk), (2, ranked.invited.pk), (3, a.pk)):
        assert f'<input type="hidden" name="rank_{position}" value="{pk}">' in page
    assert ranking(ranked.enrollment) == [a.pk, b.pk]


def test_mentor_who_left_the_cycle_is_named_so_and_can_be_removed(client, ranked):
    client.force_login(ranked.student)
    a, b, *_ = ranked.mentors
    b.status = EngagementStatus.ENDED
    b.save(update_fields=["status"])
    page = client.get(url(ranked)).content.decode()
    assert "A mentor who no longer takes part in this cycle" in page
    client.post(url(ranked), {"rank_1": a.pk, "rank_2": b.pk, "move": "2:remove"})
    assert ranking(ranked.enrollment) == [a.pk]
