"""Students assess themselves at the start and end of a cycle and see their change."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.competence import (
    CompetenceError,
    default_descriptor,
    home_competence,
    save_self_assessment,
)
from assessments.models import LevelDescriptor, MentorRating, Rating, SelfAssessment
from programs.models import CompetenceDimension, Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


def enrollment_of(world):
    return world.student.student_profile.enrollments.get(cycle=world.cycle)


def dimensions(world):
    return list(CompetenceDimension.objects.filter(program=world.program).order_by("position"))


def set_stage(cycle, stage):
    cycle.stage = stage
    cycle.save(update_fields=["stage"])


def post_data(enrollment, moment, dims, levels):
    data = {}
    for dimension, level in zip(dims, levels, strict=False):
        if level is not None:
            data[f"{enrollment.pk}-{moment}-level_{dimension.pk}"] = str(level)
        data[f"{enrollment.pk}-{moment}-note_{dimension.pk}"] = ""
    return data


def submit(client, enrollment, moment, data):
    return client.post(reverse("competence_save", args=[enrollment.pk, moment]), data)


def levels_for(dims, level):
    return {d.pk: (level, "") for d in dims}


def test_page_shows_forms_with_descriptors(client, world):
    client.force_login(world.student)
    response = client.get(reverse("competence_student"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Self-awareness" in content
    assert "I know my main strengths, values and interests." in content
    assert 'type="radio"' in content


def test_own_descriptor_replaces_default(client, world):
    dimension = dimensions(world)[0]
    LevelDescriptor.objects.create(dimension=dimension, level=3, text="Knows their strengths well")
    client.force_login(world.student)
    content = client.get(reverse("competence_student")).content.decode()
    assert "Knows their strengths well" in content
    assert default_descriptor(dimension, 3) not in content


def test_start_then_end_shows_change_and_mentor_rating(client, world):
    enrollment = enrollment_of(world)
    dims = dimensions(world)
    client.force_login(world.student)
    response = submit(client, enrollment, "start", post_data(enrollment, "start", dims, [2, 2, 2]))
    assert response.status_code == 302
    response = submit(client, enrollment, "end", post_data(enrollment, "end", dims, [4, 2, 1]))
    assert response.status_code == 302
    assert Rating.objects.filter(self_assessment__enrollment=enrollment).count() == 6
    engagement = world.mentor.mentor_profile.engagements.get(cycle=world.cycle)
    f.MatchFactory(enrollment=enrollment, engagement=engagement, published_at=timezone.now())
    MentorRating.objects.create(
        enrollment=enrollment,
        dimension=dims[0],
        moment="end",
        level=5,
        comment="Great progress",
        by=world.mentor.mentor_profile,
    )
    response = client.get(reverse("competence_student"))
    rows = {row.dimension.pk: row for row in response.context["records"][0].rows}
    assert rows[dims[0].pk].change == 2
    assert rows[dims[2].pk].change == -1
    assert rows[dims[0].pk].mentor_end.level == 5
    assert "Great progress" in response.content.decode()


def test_student_may_correct_while_open(world):
    enrollment = enrollment_of(world)
    dims = dimensions(world)
    save_self_assessment(enrollment=enrollment, moment="start", levels=levels_for(dims, 2))
    save_self_assessment(enrollment=enrollment, moment="start", levels=levels_for(dims, 3))
    assert SelfAssessment.objects.filter(enrollment=enrollment).count() == 1
    assert set(
        Rating.objects.filter(self_assessment__enrollment=enrollment).values_list(
            "level", flat=True
        )
    ) == {3}


@pytest.mark.parametrize(
    "level, missing",
    [(0, False), (6, False), ("x", False), (None, True)],
)
def test_bad_level_is_refused_on_the_form(client, world, level, missing):
    enrollment = enrollment_of(world)
    dims = dimensions(world)
    client.force_login(world.student)
    response = submit(
        client, enrollment, "start", post_data(enrollment, "start", dims, [3, 3, level])
    )
    assert response.status_code == 200
    assert "Choose a level from 1 to 5." in response.content.decode()
    assert not SelfAssessment.objects.exists()


@pytest.mark.parametrize(
    "stage, start_open, end_open",
    [
        (Stage.SELECTION, False, False),
        (Stage.KICK_OFF, True, False),
        (Stage.TRACKING, True, True),
        (Stage.EVALUATION, False, False),
        (Stage.CLOSED, False, False),
    ],
)
def test_windows_by_stage(world, stage, start_open, end_open):
    enrollment = enrollment_of(world)
    dims = dimensions(world)
    set_stage(world.cycle, stage)
    enrollment.cycle.refresh_from_db()
    if start_open:
        save_self_assessment(enrollment=enrollment, moment="start", levels=levels_for(dims, 2))
    else:
        with pytest.raises(CompetenceError):
            save_self_assessment(enrollment=enrollment, moment="start", levels=levels_for(dims, 2))
        # The end needs a start first: give it one from an open stage.
        SelfAssessment.objects.create(
            enrollment=enrollment, moment="start", submitted_at=timezone.now()
        )
    if end_open:
        save_self_assessment(enrollment=enrollment, moment="end", levels=levels_for(dims, 4))
    else:
        with pytest.raises(CompetenceError):
            save_self_assessment(enrollment=enrollment, moment="end", levels=levels_for(dims, 4))


def test_end_needs_start_and_closes_start(client, world):
    enrollment = enrollment_of(world)
    dims = dimensions(world)
    client.force_login(world.student)
    response = submit(client, enrollment, "end", post_data(enrollment, "end", dims, [3, 3, 3]))
    assert response.status_code == 200
    assert "Assess yourself at the start of the cycle first." in response.content.decode()
    assert not SelfAssessment.objects.exists()
    save_self_assessment(enrollment=enrollment, moment="start", levels=levels_for(dims, 2))
    save_self_assessment(enrollment=enrollment, moment="end", levels=levels_for(dims, 3))
    with pytest.raises(CompetenceError, match="already assessed yourself at the end"):
        save_self_assessment(enrollment=enrollment, moment="start", levels=levels_for(dims, 1))


def test_closed_window_post_changes_nothing(client, world):
    enrollment = enrollment_of(world)
    set_stage(world.cycle, Stage.EVALUATION)
    client.force_login(world.student)
    response = submit(
        client, enrollment, "start", post_data(enrollment, "start", dimensions(world), [3, 3, 3])
    )
    assert response.status_code == 200
    assert "open during kick-off and process tracking" in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_withdrawn_student_cannot_submit(client, world):
    enrollment = enrollment_of(world)
    enrollment.status = "withdrawn"
    enrollment.save(update_fields=["status"])
    client.force_login(world.student)
    response = submit(
        client, enrollment, "start", post_data(enrollment, "start", dimensions(world), [3, 3, 3])
    )
    assert response.status_code == 404
    assert not SelfAssessment.objects.exists()


def test_unknown_moment_is_404(client, world):
    enrollment = enrollment_of(world)
    client.force_login(world.student)
    assert submit(client, enrollment, "middle", {}).status_code == 404


def test_other_students_enrollment_is_404(client, world):
    other = world.other_student.student_profile.enrollments.get()
    client.force_login(world.student)
    response = submit(client, other, "start", post_data(other, "start", dimensions(world), [3]))
    assert response.status_code == 404
    assert not SelfAssessment.objects.exists()


@pytest.mark.parametrize("persona", ["mentor", "coordinator"])
def test_wrong_role_gets_403(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("competence_student")).status_code == 403
    enrollment = enrollment_of(world)
    assert submit(client, enrollment, "start", {}).status_code == 403


def test_anonymous_goes_to_login(client, world):
    response = client.get(reverse("competence_student"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    response = submit(client, enrollment_of(world), "start", {})
    assert reverse("account_login") in response["Location"]


def test_get_on_save_url_not_allowed(client, world):
    client.force_login(world.student)
    url = reverse("competence_save", args=[enrollment_of(world).pk, "start"])
    assert client.get(url).status_code == 405


def test_home_status(client, world):
    enrollment = enrollment_of(world)
    items = home_competence(user=world.student)
    assert [(i["start_done"], i["start_open"], i["end_open"]) for i in items] == [
        (False, True, False)
    ]
    save_self_assessment(
        enrollment=enrollment, moment="start", levels=levels_for(dimensions(world), 3)
    )
    client.force_login(world.student)
    content = client.get(reverse("student_home")).content.decode()
    assert "Competence self-assessment" in content
    assert reverse("competence_student") in content
