"""A mentor sees the students who ranked them and ranks or refuses them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.matching_runs import load_input
from mentorship.models import MentorPreference
from mentorship.selection import SelectionError, save_mentor_judgement, save_student_ranking
from programs.models import Cycle, Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sel(world):
    """The personas' cycle in selection; three students ranked the mentor, one did not."""
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.SELECTION)
    world.cycle.refresh_from_db()
    world.engagement = world.mentor.mentor_profile.engagements.get()
    world.rival = f.EngagementFactory(cycle=world.cycle)
    world.applicants = [world.student.student_profile.enrollments.get()] + [
        f.EnrollmentFactory(
            cycle=world.cycle,
            student__user__full_name=name,
            statement=f"{name} wants to work in finance.",
            student__interests="Auditing",
        )
        for name in ("Ann Able", "Bob Bright")
    ]
    for position, enrollment in enumerate(world.applicants):
        choices = [world.engagement, world.rival]
        if position % 2:
            choices.reverse()
        save_student_ranking(enrollment=enrollment, engagements=choices, by=world.student)
    world.bystander = f.EnrollmentFactory(cycle=world.cycle)
    save_student_ranking(enrollment=world.bystander, engagements=[world.rival], by=world.student)
    return world


def url(world, engagement=None):
    return reverse("selection_applicants", args=[(engagement or world.engagement).pk])


def judgement(engagement):
    rows = MentorPreference.objects.filter(engagement=engagement).values_list(
        "enrollment_id", "rank", "acceptable"
    )
    # Ranked first: SQLite and PostgreSQL disagree on where NULLs sort.
    return sorted(rows, key=lambda row: (row[1] is None, row[1] or 0, row[0]))


def form_data(ranks=None, refused=()):
    data = {f"rank_{enrollment.pk}": rank for enrollment, rank in (ranks or {}).items()}
    data.update({f"refuse_{enrollment.pk}": "on" for enrollment in refused})
    return data


def test_anonymous_goes_to_login(client, sel):
    response = client.get(url(sel))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_student_without_mentor_role_gets_403(client, sel):
    client.force_login(sel.student)
    assert client.get(url(sel)).status_code == 403
    assert client.post(url(sel), form_data(refused=sel.applicants[:1])).status_code == 403


def test_another_mentor_gets_404(client, sel):
    client.force_login(sel.other_mentor)
    assert client.get(url(sel)).status_code == 404
    assert client.post(url(sel), form_data(refused=sel.applicants[:1])).status_code == 404
    assert judgement(sel.engagement) == []


@pytest.mark.parametrize("status", ["invited", "declined"])
def test_engagement_not_accepted_is_404(client, sel, status):
    engagement = f.EngagementFactory(mentor=sel.mentor.mentor_profile, status=status)
    client.force_login(sel.mentor)
    assert client.get(url(sel, engagement)).status_code == 404


def test_owner_sees_the_students_who_ranked_them(client, sel):
    client.force_login(sel.mentor)
    response = client.get(url(sel))
    assert response.status_code == 200
    assert {e.pk for e in response.context["form"].applicants} == {e.pk for e in sel.applicants}
    page = response.content.decode()
    assert "Ann Able wants to work in finance." in page
    assert sel.applicants[1].student.student_number in page
    assert "Auditing" in page
    assert "If you rank nobody, you accept everyone who ranked you" in page
    assert sel.bystander.student.user.full_name not in page
    student_rank = {e.pk: e.student_rank for e in response.context["form"].applicants}
    assert student_rank == {
        sel.applicants[0].pk: 1,
        sel.applicants[1].pk: 2,
        sel.applicants[2].pk: 1,
    }


def test_applicants_come_in_tie_break_order(client, sel):
    first, second, third = sel.applicants
    for enrollment, position in ((third, 1), (first, 2)):
        enrollment.tie_break = position
        enrollment.save()
    client.force_login(sel.mentor)
    shown = [e.pk for e in client.get(url(sel)).context["form"].applicants]
    assert shown == [third.pk, first.pk, second.pk]


def test_judgement_is_saved_replaced_and_read_by_the_matching(client, sel):
    first, second, third = sel.applicants
    client.force_login(sel.mentor)
    response = client.post(url(sel), form_data({third: 1, first: 3}, refused=[second]))
    assert response.status_code == 302
    assert judgement(sel.engagement) == [
        (third.pk, 1, True),
        (first.pk, 2, True),
        (second.pk, None, False),
    ]
    data = load_input(sel.cycle)
    assert data["mentor_ranks"][sel.engagement.pk] == [third.pk, first.pk]
    assert data["not_acceptable"][sel.engagement.pk] == [second.pk]

    page = client.get(url(sel))
    assert page.context["form"].initial == {
        f"rank_{third.pk}": 1,
        f"rank_{first.pk}": 2,
        f"refuse_{second.pk}": True,
    }
    client.post(url(sel), form_data({second: 1}))
    assert judgement(sel.engagement) == [(second.pk, 1, True)]
    data = load_input(sel.cycle)
    assert data["mentor_ranks"][sel.engagement.pk] == [second.pk]
    assert sel.engagement.pk not in data["not_acceptable"]


def test_ranking_nobody_stores_nothing(client, sel):
    client.force_login(sel.mentor)
    client.post(url(sel), form_data({sel.applicants[0]: 1}))
    client.post(url(sel), form_data())
    assert judgement(sel.engagement) == []


def test_ranked_and_refused_is_a_form_error_and_changes_nothing(client, sel):
    first, second, _third = sel.applicants
    client.force_login(sel.mentor)
    client.post(url(sel), form_data({first: 1}))
    response = client.post(url(sel), form_data({second: 1}, refused=[second]))
    assert response.status_code == 200
    assert f"refuse_{second.pk}" in response.context["form"].errors
    assert judgement(sel.engagement) == [(first.pk, 1, True)]


def test_shared_rank_is_a_form_error_and_changes_nothing(client, sel):
    first, second, third = sel.applicants
    client.force_login(sel.mentor)
    client.post(url(sel), form_data({first: 1}))
    response = client.post(url(sel), form_data({second: 2, third: 2}))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert judgement(sel.engagement) == [(first.pk, 1, True)]


def test_service_refuses_invalid_judgements(sel):
    first, second, _third = sel.applicants
    save_mentor_judgement(
        engagement=sel.engagement, ranks=[first], not_acceptable=[], by=sel.mentor
    )
    for ranks, refused in (
        ([second], [second]),
        ([second, second], []),
        ([sel.bystander], []),
        ([], [sel.bystander]),
    ):
        with pytest.raises(SelectionError):
            save_mentor_judgement(
                engagement=sel.engagement, ranks=ranks, not_acceptable=refused, by=sel.mentor
            )
        assert judgement(sel.engagement) == [(first.pk, 1, True)]


def test_database_refuses_ranked_and_not_acceptable(sel):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MentorPreference.objects.create(
            engagement=sel.engagement, enrollment=sel.applicants[0], rank=1, acceptable=False
        )


def close_by_deadline(world):
    world.cycle.preference_deadline = timezone.now() - datetime.timedelta(seconds=1)
    world.cycle.save()


def close_by_stage(world):
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=Stage.KICK_OFF)


@pytest.mark.parametrize("close", [close_by_deadline, close_by_stage])
def test_read_only_when_closed(client, sel, close):
    first, second, _third = sel.applicants
    save_mentor_judgement(
        engagement=sel.engagement, ranks=[first], not_acceptable=[second], by=sel.mentor
    )
    close(sel)
    client.force_login(sel.mentor)
    page = client.get(url(sel))
    assert page.context["closed_reason"]
    assert f'name="rank_{first.pk}"'.encode() not in page.content
    response = client.post(url(sel), form_data({second: 1}))
    assert response.status_code == 302
    followed = client.get(response.url)
    assert [str(m) for m in followed.context["messages"]] == [page.context["closed_reason"]]
    assert judgement(sel.engagement) == [(first.pk, 1, True), (second.pk, None, False)]
    with pytest.raises(SelectionError):
        save_mentor_judgement(
            engagement=sel.engagement, ranks=[second], not_acceptable=[], by=sel.mentor
        )


def test_mentor_home_links_only_cycles_in_selection(client, sel):
    client.force_login(sel.mentor)
    assert url(sel) in client.get(reverse("mentor_home")).content.decode()
    close_by_stage(sel)
    assert url(sel) not in client.get(reverse("mentor_home")).content.decode()


def grow(world, size):
    """More students who ranked the mentor, judged by them, and students elsewhere."""
    for i in range(size):
        enrollment = f.EnrollmentFactory(cycle=world.cycle, statement="Please.")
        save_student_ranking(
            enrollment=enrollment, engagements=[world.engagement], by=world.student
        )
        f.EnrollmentFactory(cycle=world.other_cycle)
        MentorPreference.objects.create(
            engagement=world.engagement, enrollment=enrollment, acceptable=bool(i % 2)
        )


def test_query_count_does_not_grow(client, sel):
    client.force_login(sel.mentor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(sel)).status_code == 200
        return len(queries)

    grow(sel, 2)
    small = count()
    grow(sel, 12)
    large = count()
    assert small == large
    assert large <= 12
