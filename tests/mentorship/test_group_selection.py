"""Students rank coaching groups; the groups' leaders judge who chose them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.models import GroupJudgement, GroupPreference
from mentorship.selection import SelectionError, save_group_judgement, save_group_ranking
from programs.models import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def gsel(world):
    """The personas' cycle in selection with two coaching groups open to students.

    The mentor persona is chief coach of "Fintech"; ``coach`` is a plain coach
    there. "Closed team" has no places, so students cannot choose it.
    """
    world.cycle.stage = Stage.SELECTION
    world.cycle.save(update_fields=["stage"])
    world.program.preferences_count = 2
    world.program.save(update_fields=["preferences_count"])
    world.enrollment = world.student.student_profile.enrollments.get()
    # Not placed yet: a student who applied and is choosing.
    world.enrollment.status = "applied"
    world.enrollment.save(update_fields=["status"])
    world.fintech = f.GroupFactory(
        cycle=world.cycle,
        kind="industry",
        name="Fintech",
        focus="Finance",
        sponsoring_organisation="Big Bank",
        description="Payments and risk.",
        capacity=2,
    )
    f.GroupMembershipFactory(group=world.fintech, mentor=world.mentor.mentor_profile, role="chief")
    world.coach = f.GroupMembershipFactory(
        group=world.fintech, role="coach", mentor__user__full_name="Carl Coach"
    ).mentor.user
    world.energy = f.GroupFactory(cycle=world.cycle, kind="enterprise", name="Energy", capacity=1)
    f.GroupMembershipFactory(
        group=world.energy, role="leading", mentor__user__full_name="Lea Leader"
    )
    world.closed = f.GroupFactory(cycle=world.cycle, kind="industry", name="Closed team")
    world.elsewhere = f.GroupFactory(cycle=world.other_cycle, kind="industry", capacity=5)
    world.applicants = [world.enrollment] + [
        f.EnrollmentFactory(
            cycle=world.cycle, student__user__full_name=name, statement=f"{name} likes payments."
        )
        for name in ("Ann Able", "Bob Bright")
    ]
    for enrollment in world.applicants:
        save_group_ranking(
            enrollment=enrollment, groups=[world.fintech, world.energy], by=world.student
        )
    return world


def ranking(enrollment):
    return list(
        GroupPreference.objects.filter(enrollment=enrollment)
        .order_by("rank")
        .values_list("group__name", flat=True)
    )


def judgement(group):
    rows = GroupJudgement.objects.filter(group=group).values_list(
        "enrollment_id", "rank", "acceptable"
    )
    return sorted(rows, key=lambda row: (row[1] is None, row[1] or 0, row[0]))


def ranking_url(world):
    return reverse("selection_groups", args=[world.enrollment.pk])


def applicants_url(world, group=None):
    return reverse("selection_group_applicants", args=[(group or world.fintech).pk])


def close(world):
    world.cycle.preference_deadline = timezone.now() - datetime.timedelta(minutes=1)
    world.cycle.save(update_fields=["preference_deadline"])


# Services


def test_group_ranking_is_replaced_whole(gsel):
    save_group_ranking(enrollment=gsel.enrollment, groups=[gsel.energy], by=gsel.student)
    assert ranking(gsel.enrollment) == ["Energy"]


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        (lambda w: [w.fintech, w.energy, w.fintech], "at most 2 groups"),
        (lambda w: [w.fintech, w.fintech], "only once"),
        (lambda w: [w.closed], "open to students"),
        (lambda w: [w.elsewhere], "open to students"),
    ],
)
def test_group_ranking_refuses_bad_lists(gsel, groups, message):
    with pytest.raises(SelectionError, match=message):
        save_group_ranking(enrollment=gsel.enrollment, groups=groups(gsel), by=gsel.student)
    assert ranking(gsel.enrollment) == ["Fintech", "Energy"]


def test_group_ranking_refused_after_deadline(gsel):
    close(gsel)
    with pytest.raises(SelectionError, match="deadline"):
        save_group_ranking(enrollment=gsel.enrollment, groups=[], by=gsel.student)
    assert ranking(gsel.enrollment) == ["Fintech", "Energy"]


def test_group_judgement_stores_ranks_and_refusals(gsel):
    first, second, third = gsel.applicants
    save_group_judgement(
        group=gsel.fintech, ranks=[third, first], not_acceptable=[second], by=gsel.mentor
    )
    assert judgement(gsel.fintech) == [
        (third.pk, 1, True),
        (first.pk, 2, True),
        (second.pk, None, False),
    ]


def test_group_judgement_refuses_outsiders_and_contradictions(gsel):
    stranger = f.EnrollmentFactory(cycle=gsel.cycle)
    first = gsel.applicants[0]
    with pytest.raises(SelectionError, match="ranked your group"):
        save_group_judgement(
            group=gsel.fintech, ranks=[stranger], not_acceptable=[], by=gsel.mentor
        )
    with pytest.raises(SelectionError, match="both ranked and not acceptable"):
        save_group_judgement(
            group=gsel.fintech, ranks=[first], not_acceptable=[first], by=gsel.mentor
        )
    with pytest.raises(SelectionError, match="no students"):
        save_group_judgement(group=gsel.closed, ranks=[], not_acceptable=[], by=gsel.mentor)
    close(gsel)
    with pytest.raises(SelectionError, match="deadline"):
        save_group_judgement(group=gsel.fintech, ranks=[first], not_acceptable=[], by=gsel.mentor)
    assert judgement(gsel.fintech) == []


# The student's page


def test_student_ranking_page_roles(client, gsel):
    url = ranking_url(gsel)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(gsel.mentor)
    assert client.get(url).status_code == 403
    client.force_login(gsel.other_student)
    assert client.get(url).status_code == 404
    assert client.post(url, {"rank_1": gsel.energy.pk}).status_code == 404
    assert ranking(gsel.enrollment) == ["Fintech", "Energy"]


def test_student_sees_groups_and_saves_a_ranking(client, gsel):
    client.force_login(gsel.student)
    page = client.get(ranking_url(gsel)).content.decode()
    for text in (
        "Fintech",
        "Finance",
        "Big Bank",
        "Payments and risk.",
        "Max Mentor",
        "Carl Coach",
    ):
        assert text in page
    assert "2 places" in page and "Closed team" not in page
    response = client.post(ranking_url(gsel), {"rank_1": gsel.energy.pk, "rank_2": ""})
    assert response.status_code == 302
    assert ranking(gsel.enrollment) == ["Energy"]


def test_student_duplicate_choice_shows_error_and_changes_nothing(client, gsel):
    client.force_login(gsel.student)
    data = {"rank_1": gsel.energy.pk, "rank_2": gsel.energy.pk}
    response = client.post(ranking_url(gsel), data)
    assert response.status_code == 200
    assert "only once" in response.content.decode()
    assert ranking(gsel.enrollment) == ["Fintech", "Energy"]


@pytest.mark.parametrize("move", ["\u00b2:up", "9" * 5000 + ":down"])
def test_student_move_that_names_no_position_is_a_form_error(client, gsel, move):
    client.force_login(gsel.student)
    data = {"rank_1": gsel.fintech.pk, "rank_2": gsel.energy.pk, "move": move}
    response = client.post(ranking_url(gsel), data)
    assert response.status_code == 200
    assert "This choice cannot move that way." in response.text
    assert ranking(gsel.enrollment) == ["Fintech", "Energy"]


def test_student_page_read_only_after_deadline(client, gsel):
    close(gsel)
    client.force_login(gsel.student)
    page = client.get(ranking_url(gsel))
    assert page.context["closed_reason"]
    assert "Save my ranking" not in page.content.decode()
    response = client.post(ranking_url(gsel), {"rank_1": gsel.energy.pk}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [page.context["closed_reason"]]
    assert ranking(gsel.enrollment) == ["Fintech", "Energy"]


def test_cycle_without_open_groups_has_no_group_page(client, gsel):
    type(gsel.fintech).objects.filter(cycle=gsel.cycle).update(capacity=None)
    client.force_login(gsel.student)
    assert client.get(ranking_url(gsel)).status_code == 404


def test_student_home_links_the_group_page(client, gsel):
    client.force_login(gsel.student)
    assert ranking_url(gsel) in client.get(reverse("student_home")).content.decode()


def test_student_group_page_query_count_does_not_grow(client, gsel):
    client.force_login(gsel.student)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ranking_url(gsel)).status_code == 200
        return len(queries)

    small = count()
    for _ in range(8):
        group = f.GroupFactory(cycle=gsel.cycle, kind="industry", capacity=20)
        f.GroupMembershipFactory(group=group, role="chief")
        f.GroupMembershipFactory(group=group, role="coach")
    assert count() == small


# The leaders' page


def test_leaders_page_roles(client, gsel):
    url = applicants_url(gsel)
    data = {f"refuse_{gsel.applicants[0].pk}": "on"}
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    client.force_login(gsel.student)
    assert client.get(url).status_code == 403
    client.force_login(gsel.other_mentor)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.force_login(gsel.coach)
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    client.force_login(gsel.mentor)
    # The mentor leads "Fintech" but is not in "Energy", and "Closed team" takes no students.
    assert client.get(applicants_url(gsel, gsel.energy)).status_code == 404
    assert judgement(gsel.fintech) == []


def test_chief_sees_applicants_and_saves_judgement(client, gsel):
    first, second, third = gsel.applicants
    client.force_login(gsel.mentor)
    page = client.get(applicants_url(gsel)).content.decode()
    assert "Ann Able" in page and "Ann Able likes payments." in page
    assert "Your group is their choice 1" in page
    data = {f"rank_{second.pk}": 1, f"refuse_{third.pk}": "on"}
    assert client.post(applicants_url(gsel), data).status_code == 302
    assert judgement(gsel.fintech) == [(second.pk, 1, True), (third.pk, None, False)]


def test_leader_invalid_judgement_shows_error(client, gsel):
    first = gsel.applicants[0]
    client.force_login(gsel.mentor)
    data = {f"rank_{first.pk}": 1, f"refuse_{first.pk}": "on"}
    response = client.post(applicants_url(gsel), data)
    assert response.status_code == 200
    assert "both ranked and not acceptable" in response.content.decode()
    assert judgement(gsel.fintech) == []


def test_leaders_page_read_only_after_deadline(client, gsel):
    close(gsel)
    client.force_login(gsel.mentor)
    page = client.get(applicants_url(gsel))
    assert page.context["closed_reason"]
    assert "Save my judgement" not in page.content.decode()
    data = {f"rank_{gsel.applicants[0].pk}": 1}
    client.post(applicants_url(gsel), data)
    assert judgement(gsel.fintech) == []


def test_mentor_home_links_the_leaders_page(client, gsel):
    client.force_login(gsel.mentor)
    assert applicants_url(gsel) in client.get(reverse("mentor_home")).content.decode()
    client.force_login(gsel.coach)
    assert applicants_url(gsel) not in client.get(reverse("mentor_home")).content.decode()


def test_leaders_page_query_count_does_not_grow(client, gsel):
    client.force_login(gsel.mentor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(applicants_url(gsel)).status_code == 200
        return len(queries)

    small = count()
    for _ in range(10):
        enrollment = f.EnrollmentFactory(cycle=gsel.cycle)
        save_group_ranking(enrollment=enrollment, groups=[gsel.fintech], by=gsel.student)
    assert count() == small
