"""Moving a choice up or down on the ranking page, with htmx and without."""

import re

import pytest
from django.urls import reverse

from mentorship.selection import save_student_ranking
from programs.models import Cycle, Stage

from .test_selection_student import ranking, sel  # noqa: F401

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ranked(sel):  # noqa: F811
    a, b, c, _ = sel.mentors
    save_student_ranking(enrollment=sel.enrollment, engagements=[a, b, c], by=sel.student)
    return sel


def move(client, world, move, ranking_pks, **headers):
    data = {f"rank_{i}": pk for i, pk in enumerate(ranking_pks, start=1)}
    data["move"] = move
    url = reverse("selection_ranking", args=[world.enrollment.pk])
    return client.post(url, data, **headers)


def test_page_has_up_and_down_buttons_and_htmx(client, ranked):
    client.force_login(ranked.student)
    page = client.get(reverse("selection_ranking", args=[ranked.enrollment.pk])).content.decode()
    assert 'name="move" value="2:up"' in page and 'name="move" value="2:down"' in page
    assert "hx-post=" in page and "vendor/htmx/htmx.min.js" in page
    assert "<html" in page


def test_plain_post_moves_saves_and_redirects(client, ranked):
    a, b, c, _ = ranked.mentors
    client.force_login(ranked.student)
    response = move(client, ranked, "3:up", [a.pk, b.pk, c.pk])
    assert response.status_code == 302
    assert ranking(ranked.enrollment) == [a.pk, c.pk, b.pk]
    followed = client.get(response.url)
    assert [str(m) for m in followed.context["messages"]] == ["Your ranking was saved."]


def test_htmx_post_answers_with_the_form_alone_in_the_new_order(client, ranked):
    a, b, c, _ = ranked.mentors
    client.force_login(ranked.student)
    response = move(client, ranked, "1:down", [a.pk, b.pk, c.pk], **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and page.lstrip().startswith("<form")
    assert "Your ranking was saved." in page
    assert ranking(ranked.enrollment) == [b.pk, a.pk, c.pk]
    form = response.context["form"]
    assert not form.is_bound
    assert [form[f"rank_{i}"].value() for i in (1, 2, 3)] == [b.pk, a.pk, c.pk]
    # The keyboard stays with the moved choice.
    assert re.search(
        rf'<li [^>]*tabindex="-1" autofocus>\s*<input type="hidden" name="rank_2" value="{a.pk}">',
        page,
    )


def test_htmx_save_without_move_also_answers_with_the_form(client, ranked):
    a, b, c, d = ranked.mentors
    client.force_login(ranked.student)
    url = reverse("selection_ranking", args=[ranked.enrollment.pk])
    response = client.post(url, {"rank_1": d.pk, "rank_2": a.pk}, **HTMX)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert ranking(ranked.enrollment) == [d.pk, a.pk]


@pytest.mark.parametrize("headers", [{}, HTMX])
@pytest.mark.parametrize(
    "bad", ["1:up", "3:down", "7:up", "2:sideways", "x", "\u00b2:up", "0:down", "9" * 5000 + ":up"]
)
def test_impossible_move_is_a_form_error_and_changes_nothing(client, ranked, headers, bad):
    a, b, c, _ = ranked.mentors
    client.force_login(ranked.student)
    response = move(client, ranked, bad, [a.pk, b.pk, c.pk], **headers)
    assert response.status_code == 200
    assert "This choice cannot move that way." in response.content.decode()
    assert ranking(ranked.enrollment) == [a.pk, b.pk, c.pk]


def test_move_keeps_unsaved_changes_of_the_form(client, ranked):
    a, b, c, d = ranked.mentors
    client.force_login(ranked.student)
    # The student picked d for choice 3 without saving, then moved it up.
    move(client, ranked, "3:up", [a.pk, b.pk, d.pk], **HTMX)
    assert ranking(ranked.enrollment) == [a.pk, d.pk, b.pk]


def test_move_with_duplicate_shows_the_error_and_changes_nothing(client, ranked):
    a, b, c, _ = ranked.mentors
    client.force_login(ranked.student)
    response = move(client, ranked, "2:up", [a.pk, a.pk, c.pk], **HTMX)
    assert "Each mentor can appear only once" in response.content.decode()
    assert ranking(ranked.enrollment) == [a.pk, b.pk, c.pk]


def test_htmx_move_after_the_deadline_reloads_the_read_only_page(client, ranked):
    a, b, c, _ = ranked.mentors
    Cycle.objects.filter(pk=ranked.cycle.pk).update(stage=Stage.KICK_OFF)
    client.force_login(ranked.student)
    response = move(client, ranked, "2:up", [a.pk, b.pk, c.pk], **HTMX)
    assert response.headers["HX-Redirect"] == reverse(
        "selection_ranking", args=[ranked.enrollment.pk]
    )
    assert ranking(ranked.enrollment) == [a.pk, b.pk, c.pk]


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_other_student_gets_404_and_mentor_403(client, ranked, headers):
    a, b, c, _ = ranked.mentors
    client.force_login(ranked.other_student)
    assert move(client, ranked, "2:up", [a.pk, b.pk, c.pk], **headers).status_code == 404
    client.force_login(ranked.mentor)
    assert move(client, ranked, "2:up", [a.pk, b.pk, c.pk], **headers).status_code == 403
    assert ranking(ranked.enrollment) == [a.pk, b.pk, c.pk]


def test_anonymous_move_goes_to_login(client, ranked):
    a, b, c, _ = ranked.mentors
    response = move(client, ranked, "2:up", [a.pk, b.pk, c.pk])
    assert response.status_code == 302 and "/login/" in response.url


def test_signed_out_htmx_request_goes_to_the_login_page(client, ranked):
    a, b, c, _ = ranked.mentors
    response = move(client, ranked, "1:down", [a.pk, b.pk, c.pk], **HTMX)
    url = reverse("selection_ranking", args=[ranked.enrollment.pk])
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == f"{reverse('account_login')}?next={url}"
    assert ranking(ranked.enrollment) == [a.pk, b.pk, c.pk]
    # Without htmx the usual redirect.
    assert move(client, ranked, "1:down", [a.pk, b.pk, c.pk]).status_code == 302
