"""Mentors rate their published mentees; pages cost a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.competence import save_self_assessment
from assessments.models import MentorRating
from programs.models import CompetenceDimension, Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


def dims(world):
    return list(CompetenceDimension.objects.filter(program=world.program).order_by("position"))


def url(enrollment):
    return reverse("competence_mentee", args=[enrollment.pk])


def rating_data(world, moment, levels):
    data = {"moment": moment}
    for dimension, level in zip(dims(world), levels, strict=False):
        if level is not None:
            data[f"{moment}-level_{dimension.pk}"] = str(level)
        data[f"{moment}-note_{dimension.pk}"] = "Seen in our meetings"
    return data


def test_mentor_sees_self_assessment_and_rates(client, world, mentee):
    save_self_assessment(
        enrollment=mentee, moment="start", levels={d.pk: (2, "") for d in dims(world)}
    )
    client.force_login(world.mentor)
    response = client.get(url(mentee))
    assert response.status_code == 200
    assert "Stu Student" in response.content.decode()
    response = client.post(url(mentee), rating_data(world, "start", [3, 3, 4]))
    assert response.status_code == 302
    ratings = MentorRating.objects.filter(enrollment=mentee, moment="start")
    assert sorted(ratings.values_list("level", flat=True)) == [3, 3, 4]
    assert {r.by.user for r in ratings} == {world.mentor}
    # Saving again corrects the same rows.
    client.post(url(mentee), rating_data(world, "start", [1, 1, 1]))
    assert sorted(ratings.values_list("level", flat=True)) == [1, 1, 1]


@pytest.mark.parametrize("levels", [[3, 3, 0], [3, 3, 6], [3, 3, None]])
def test_bad_rating_is_refused(client, world, mentee, levels):
    client.force_login(world.mentor)
    response = client.post(url(mentee), rating_data(world, "start", levels))
    assert response.status_code == 200
    assert "Choose a level from 1 to 5." in response.content.decode()
    assert not MentorRating.objects.exists()


def test_unknown_moment_is_bad_request(client, world, mentee):
    client.force_login(world.mentor)
    assert client.post(url(mentee), rating_data(world, "later", [3, 3, 3])).status_code == 400


@pytest.mark.parametrize(
    "stage, start_open, end_open",
    [
        (Stage.SELECTION, False, False),
        (Stage.KICK_OFF, True, False),
        (Stage.TRACKING, True, True),
        (Stage.EVALUATION, True, True),
        (Stage.REWARD, False, False),
    ],
)
def test_mentor_windows(client, world, mentee, stage, start_open, end_open):
    world.cycle.stage = stage
    world.cycle.save(update_fields=["stage"])
    client.force_login(world.mentor)
    for moment, is_open in (("start", start_open), ("end", end_open)):
        response = client.post(url(mentee), rating_data(world, moment, [3, 3, 3]))
        assert response.status_code == (302 if is_open else 200)
        assert MentorRating.objects.filter(moment=moment).exists() == is_open


def test_unpublished_match_is_404(client, world):
    enrollment = world.student.student_profile.enrollments.get(cycle=world.cycle)
    engagement = world.mentor.mentor_profile.engagements.get(cycle=world.cycle)
    f.MatchFactory(enrollment=enrollment, engagement=engagement)
    client.force_login(world.mentor)
    assert client.get(url(enrollment)).status_code == 404


def test_other_mentor_gets_404(client, world, mentee):
    # A coach of the same team is not the student's mentor either.
    client.force_login(world.other_mentor)
    assert client.get(url(mentee)).status_code == 404
    response = client.post(url(mentee), rating_data(world, "start", [3, 3, 3]))
    assert response.status_code == 404
    assert not MentorRating.objects.exists()


@pytest.mark.parametrize("persona", ["student", "coordinator", "steering"])
def test_wrong_role_gets_403(client, world, mentee, persona):
    client.force_login(getattr(world, persona))
    assert client.get(url(mentee)).status_code == 403


def test_anonymous_goes_to_login(client, world, mentee):
    response = client.get(url(mentee))
    assert reverse("account_login") in response["Location"]


def test_student_sees_mentor_link_on_mentor_home(client, world, mentee):
    client.force_login(world.mentor)
    assert url(mentee) in client.get(reverse("mentor_home")).content.decode()


def grow(world, size):
    """More cycles, each with a rated self-assessment and mentor ratings."""
    student = world.student.student_profile
    mentor = world.mentor.mentor_profile
    for i in range(size):
        cycle = f.CycleFactory(program=world.program, name=f"c-{size}-{i}", stage=Stage.TRACKING)
        enrollment = f.EnrollmentFactory(student=student, cycle=cycle)
        engagement = f.EngagementFactory(mentor=mentor, cycle=cycle)
        f.MatchFactory(enrollment=enrollment, engagement=engagement, published_at=timezone.now())
        levels = {d.pk: (3, "note") for d in dims(world)}
        save_self_assessment(enrollment=enrollment, moment="start", levels=levels)
        save_self_assessment(enrollment=enrollment, moment="end", levels=levels)
        for dimension in dims(world):
            MentorRating.objects.create(
                enrollment=enrollment, dimension=dimension, moment="end", level=4, by=mentor
            )


def count(client, page):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page)
    assert response.status_code == 200
    return len(queries)


def test_student_page_queries_constant(client, world):
    client.force_login(world.student)
    grow(world, 1)
    small = count(client, reverse("competence_student"))
    grow(world, 5)
    assert count(client, reverse("competence_student")) == small


def test_mentor_page_queries_constant(client, world, mentee):
    client.force_login(world.mentor)
    save_self_assessment(
        enrollment=mentee, moment="start", levels={d.pk: (2, "x") for d in dims(world)}
    )
    small = count(client, url(mentee))
    save_self_assessment(
        enrollment=mentee, moment="end", levels={d.pk: (3, "y") for d in dims(world)}
    )
    for index in range(5):
        f.CompetenceDimensionFactory(program=world.program, code=f"extra_{index}")
    grow(world, 3)
    assert count(client, url(mentee)) == small
