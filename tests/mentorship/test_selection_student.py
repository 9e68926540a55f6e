"""A student browses the cycle's mentors and ranks them during selection."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.models import StudentPreference
from mentorship.selection import SelectionError, save_student_ranking
from programs.models import Cycle, Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sel(world):
    """The personas' cycle in selection, with four accepted mentors and some that do not count."""
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.SELECTION)
    world.cycle.refresh_from_db()
    world.program.preferences_count = 3
    world.program.save()
    world.enrollment = world.student.student_profile.enrollments.get()
    # Not placed yet: a student who applied and is choosing.
    world.enrollment.status = "applied"
    world.enrollment.save(update_fields=["status"])
    # Fixed organisations: a made-up company name could match the text searches.
    profile = world.mentor.mentor_profile
    profile.organisation = "Harbour Consulting"
    profile.save(update_fields=["organisation"])
    world.mentors = [world.mentor.mentor_profile.engagements.get()] + [
        f.EngagementFactory(
            cycle=world.cycle,
            mentor__user__full_name=name,
            mentor__industry=industry,
            mentor__kind=kind,
            mentor__alumni_degree="mba" if kind == "alumnus" else "",
            mentor__bio=bio,
            mentor__organisation=f"{industry} Partners",
        )
        for name, industry, kind, bio in (
            ("Ada Banker", "Banking", "alumnus", "Twenty years in retail banking."),
            ("Ben Builder", "Construction", "entrepreneur", "Founded a start-up."),
            ("Cleo Civil", "Public sector", "government", "Works on trade policy."),
        )
    ]
    world.invited = f.EngagementFactory(cycle=world.cycle, status="invited")
    world.elsewhere = world.other_mentor.mentor_profile.engagements.get()
    return world


def urls(world):
    enrollment = world.enrollment.pk
    return [
        reverse("selection_mentors", args=[enrollment]),
        reverse("selection_mentor", args=[enrollment, world.mentors[1].pk]),
        reverse("selection_ranking", args=[enrollment]),
    ]


def ranking(enrollment):
    return list(
        StudentPreference.objects.filter(enrollment=enrollment)
        .order_by("rank")
        .values_list("engagement_id", flat=True)
    )


def post_ranking(client, world, *engagements):
    data = {f"rank_{i}": e.pk for i, e in enumerate(engagements, start=1)}
    return client.post(reverse("selection_ranking", args=[world.enrollment.pk]), data)


def test_anonymous_goes_to_login(client, sel):
    for url in urls(sel):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_mentor_without_student_role_gets_403(client, sel):
    client.force_login(sel.mentor)
    for url in urls(sel):
        assert client.get(url).status_code == 403
    assert post_ranking(client, sel, sel.mentors[0]).status_code == 403


def test_another_student_gets_404(client, sel):
    client.force_login(sel.other_student)
    for url in urls(sel):
        assert client.get(url).status_code == 404
    assert post_ranking(client, sel, sel.mentors[0]).status_code == 404
    assert ranking(sel.enrollment) == []


def test_owner_sees_every_page(client, sel):
    client.force_login(sel.student)
    for url in urls(sel):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("which", ["invited", "elsewhere"])
def test_profile_of_a_mentor_outside_the_cycle_is_404(client, sel, which):
    client.force_login(sel.student)
    url = reverse("selection_mentor", args=[sel.enrollment.pk, getattr(sel, which).pk])
    assert client.get(url).status_code == 404


def test_directory_lists_only_the_cycles_accepted_mentors(client, sel):
    client.force_login(sel.student)
    response = client.get(reverse("selection_mentors", args=[sel.enrollment.pk]))
    shown = {e.pk for e in response.context["engagements"]}
    assert shown == {e.pk for e in sel.mentors}


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"industry": "Banking"}, ["Ada Banker"]),
        ({"kind": "government"}, ["Cleo Civil"]),
        ({"q": "start-up"}, ["Ben Builder"]),
        ({"q": "ben"}, ["Ben Builder"]),
        ({"discipline": "Accounting", "kind": "entrepreneur"}, ["Ben Builder"]),
    ],
)
def test_directory_filters(client, sel, query, expected):
    client.force_login(sel.student)
    response = client.get(reverse("selection_mentors", args=[sel.enrollment.pk]), query)
    assert [e.mentor.user.full_name for e in response.context["engagements"]] == expected


def test_directory_filter_by_organisation(client, sel):
    client.force_login(sel.student)
    organisation = sel.mentors[2].mentor.organisation
    response = client.get(
        reverse("selection_mentors", args=[sel.enrollment.pk]), {"organisation": organisation}
    )
    assert [e.pk for e in response.context["engagements"]] == [sel.mentors[2].pk]


def test_profile_page_shows_the_profile(client, sel):
    client.force_login(sel.student)
    page = client.get(urls(sel)[1]).content.decode()
    assert "Ada Banker" in page
    assert "Twenty years in retail banking." in page
    assert "MBA" in page


def test_ranking_is_saved_then_replaced(client, sel):
    client.force_login(sel.student)
    a, b, c, d = sel.mentors
    response = post_ranking(client, sel, b, a, c)
    assert response.status_code == 302
    assert ranking(sel.enrollment) == [b.pk, a.pk, c.pk]
    post_ranking(client, sel, d, b)
    assert ranking(sel.enrollment) == [d.pk, b.pk]
    page = client.get(response.url)
    assert page.context["form"].initial == {"rank_1": d.pk, "rank_2": b.pk}


def test_empty_positions_are_skipped(client, sel):
    client.force_login(sel.student)
    a, b, *_ = sel.mentors
    url = reverse("selection_ranking", args=[sel.enrollment.pk])
    client.post(url, {"rank_1": "", "rank_2": b.pk, "rank_3": a.pk})
    assert ranking(sel.enrollment) == [b.pk, a.pk]


def test_duplicate_is_a_form_error_and_changes_nothing(client, sel):
    client.force_login(sel.student)
    a, b, *_ = sel.mentors
    post_ranking(client, sel, a)
    response = post_ranking(client, sel, b, b)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ranking(sel.enrollment) == [a.pk]


@pytest.mark.parametrize("which", ["invited", "elsewhere"])
def test_mentor_outside_the_cycle_is_a_form_error(client, sel, which):
    client.force_login(sel.student)
    a = sel.mentors[0]
    post_ranking(client, sel, a)
    response = post_ranking(client, sel, sel.mentors[1], getattr(sel, which))
    assert response.status_code == 200
    assert "rank_2" in response.context["form"].errors
    assert ranking(sel.enrollment) == [a.pk]


def test_service_refuses_too_many_duplicates_and_outsiders(sel):
    a, b, c, d = sel.mentors
    save_student_ranking(enrollment=sel.enrollment, engagements=[a], by=sel.student)
    for engagements in ([a, b, c, d], [b, b], [b, sel.invited], [sel.elsewhere]):
        with pytest.raises(SelectionError):
            save_student_ranking(enrollment=sel.enrollment, engagements=engagements, by=sel.student)
        assert ranking(sel.enrollment) == [a.pk]


def test_form_offers_exactly_the_programs_number_of_choices(client, sel):
    client.force_login(sel.student)
    response = client.get(reverse("selection_ranking", args=[sel.enrollment.pk]))
    assert list(response.context["form"].fields) == ["rank_1", "rank_2", "rank_3"]


def close_by_deadline(world):
    world.cycle.preference_deadline = timezone.now() - datetime.timedelta(minutes=1)
    world.cycle.save()


def close_by_stage(world):
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.KICK_OFF)


@pytest.mark.parametrize("close", [close_by_deadline, close_by_stage])
def test_read_only_when_closed(client, sel, close):
    a, b, *_ = sel.mentors
    save_student_ranking(enrollment=sel.enrollment, engagements=[a, b], by=sel.student)
    close(sel)
    client.force_login(sel.student)
    url = reverse("selection_ranking", args=[sel.enrollment.pk])
    page = client.get(url)
    assert page.context["closed_reason"]
    assert b'name="rank_1"' not in page.content
    assert "Ada Banker" in page.content.decode()
    response = post_ranking(client, sel, b)
    assert response.status_code == 302
    followed = client.get(response.url)
    assert [str(m) for m in followed.context["messages"]] == [page.context["closed_reason"]]
    assert ranking(sel.enrollment) == [a.pk, b.pk]
    sel.cycle.refresh_from_db()
    with pytest.raises(SelectionError):
        save_student_ranking(enrollment=sel.enrollment, engagements=[b], by=sel.student)


def test_deadline_in_the_future_still_allows_changes(client, sel):
    sel.cycle.preference_deadline = timezone.now() + datetime.timedelta(days=1)
    sel.cycle.save()
    client.force_login(sel.student)
    post_ranking(client, sel, sel.mentors[0])
    assert ranking(sel.enrollment) == [sel.mentors[0].pk]


def test_deadline_reads_as_one_sentence(client, sel):
    sel.cycle.preference_deadline = timezone.make_aware(datetime.datetime(2027, 7, 10, 18, 0))
    sel.cycle.save()
    client.force_login(sel.student)
    page = client.get(urls(sel)[2]).content.decode()
    assert "until July 10, 2027, 18:00." in page
    assert ".." not in page


def test_withdrawn_student_cannot_change_the_ranking(client, sel):
    sel.enrollment.status = "withdrawn"
    sel.enrollment.save()
    client.force_login(sel.student)
    assert client.get(urls(sel)[2]).status_code == 200
    assert post_ranking(client, sel, sel.mentors[0]).status_code == 404
    with pytest.raises(SelectionError):
        save_student_ranking(enrollment=sel.enrollment, engagements=[], by=sel.student)
    assert ranking(sel.enrollment) == []


def test_student_home_links_only_cycles_in_selection(client, sel):
    client.force_login(sel.student)
    link = reverse("selection_ranking", args=[sel.enrollment.pk])
    assert link in client.get(reverse("student_home")).content.decode()
    close_by_stage(sel)
    assert link not in client.get(reverse("student_home")).content.decode()


def grow(world, size):
    """More mentors in the cycle and elsewhere, and a full ranking of them."""
    extra = [f.EngagementFactory(cycle=world.cycle) for _ in range(size)]
    for _ in range(size):
        f.EngagementFactory(cycle=world.other_cycle)
        f.EnrollmentFactory(cycle=world.cycle)
    StudentPreference.objects.filter(enrollment=world.enrollment).delete()
    save_student_ranking(
        enrollment=world.enrollment,
        engagements=(world.mentors + extra)[: world.program.preferences_count],
        by=world.student,
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", [0, 1, 2])
def test_query_count_does_not_grow(client, sel, page):
    client.force_login(sel.student)
    url = urls(sel)[page]
    grow(sel, 2)
    small = count_queries(client, url)
    grow(sel, 12)
    large = count_queries(client, url)
    assert small == large
    assert large <= 12


def test_htmx_is_loaded_only_where_it_enhances(client, sel):
    client.force_login(sel.student)
    assert b"htmx.min.js" in client.get(urls(sel)[0]).content
    assert b"htmx.min.js" not in client.get(reverse("student_home")).content


def test_directory_without_matches_says_so(client, sel):
    client.force_login(sel.student)
    response = client.get(urls(sel)[0], {"q": "nobody-has-this"})
    assert "No mentor matches these filters." in response.content.decode()


def hidden_fields(html, action):
    form = html[html.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'type="hidden" name="(rank_\d+)" value="(\d+)"', form))


def test_add_button_appends_a_mentor_without_javascript(client, sel):
    a, b, c, _d = sel.mentors
    save_student_ranking(enrollment=sel.enrollment, engagements=[b], by=sel.student)
    client.force_login(sel.student)
    action = reverse("selection_ranking", args=[sel.enrollment.pk])
    detail = reverse("selection_mentor", args=[sel.enrollment.pk, a.pk])
    data = hidden_fields(client.get(detail).content.decode(), action)
    assert data == {"rank_1": str(b.pk), "rank_2": str(a.pk)}
    client.post(action, data)
    assert ranking(sel.enrollment) == [b.pk, a.pk]
    page = client.get(detail).content.decode()
    assert "Add as choice" not in page


def test_add_button_hidden_when_full_or_closed(client, sel):
    a, b, c, d = sel.mentors
    client.force_login(sel.student)
    directory = reverse("selection_mentors", args=[sel.enrollment.pk])
    assert "Add as choice 1" in client.get(directory).content.decode()
    save_student_ranking(enrollment=sel.enrollment, engagements=[a, b, c], by=sel.student)
    assert "Add as choice" not in client.get(directory).content.decode()
    StudentPreference.objects.all().delete()
    close_by_stage(sel)
    assert "Add as choice" not in client.get(directory).content.decode()
