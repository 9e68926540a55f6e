"""Who may be in a meeting: without a group, the mentor's own published
mentees; with a group, that group's published students. The form offers only
those (following the group's choice, with or without JavaScript) and the
services refuse anyone else, whatever id is posted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sessions_app.meetings import edit_meeting
from sessions_app.models import Meeting
from tests import factories as f

from .conftest import meeting_form
from .test_meetings import log

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world, mentoring):
    """The rival mentor's mentee is a published student of the mentor persona's
    team, with one more team student who is nobody's mentee."""
    rival = mentoring.rival_student.student_profile
    f.GroupMembershipFactory(
        group=world.team, student=rival, mentor=None, role="student", published_at=timezone.now()
    )
    loner = f.StudentProfileFactory(user__full_name="Lou Loner")
    f.EnrollmentFactory(student=loner, cycle=world.cycle)
    f.GroupMembershipFactory(
        group=world.team, student=loner, mentor=None, role="student", published_at=timezone.now()
    )
    return rival, loner


def offered(response):
    return {
        student.user.full_name for student in response.context["form"].fields["students"].queryset
    }


def test_a_meeting_without_a_group_is_with_own_mentees_only(world, mentoring, team):
    rival, loner = team
    for hostile in (rival, loner):
        with pytest.raises(ValidationError) as refused:
            log(world, mentoring, students=[mentoring.student, hostile])
        assert "own mentees only" in refused.value.message_dict["students"][0]
    assert not Meeting.objects.exists()
    # The same students as a meeting of the group they are in.
    meeting = log(world, mentoring, students=[rival, loner], group=world.team)
    assert set(meeting.participants.values_list("student", flat=True)) == {rival.pk, loner.pk}


def test_a_group_meeting_is_with_that_groups_students_only(world, mentoring, team):
    mentee_elsewhere = f.MatchFactory(
        engagement=mentoring.engagement, enrollment__cycle=world.cycle, published_at=timezone.now()
    ).enrollment.student
    with pytest.raises(ValidationError) as refused:
        log(world, mentoring, students=[mentee_elsewhere], group=world.team)
    assert "chosen group" in refused.value.message_dict["students"][0]


def test_an_edit_cannot_add_another_mentors_mentee_without_the_group(world, mentoring, team):
    meeting = log(world, mentoring)
    with pytest.raises(ValidationError):
        edit_meeting(meeting=meeting, by=world.mentor, students=[mentoring.student, team[0]])
    assert list(meeting.participants.values_list("student", flat=True)) == [mentoring.student.pk]


def test_the_form_offers_own_mentees_then_the_chosen_groups_students(
    client, world, mentoring, team
):
    client.force_login(world.mentor)
    url = reverse("mentor_meeting_new")
    assert offered(client.get(url)) == {"Stu Student"}
    # The group changes (htmx posts the form with _refresh): its students, nothing saved.
    data = meeting_form([], group=str(world.team.pk), summary="Half typed", _refresh="1")
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert offered(response) == {"Stu Student", "Rita Rival", "Lou Loner"}
    assert not Meeting.objects.exists()
    assert response.context["form"].errors == {} and "Half typed" in response.text
    assert 'id="div_id_students"' in response.text
    # Back to no group: the team's other students are no longer offered.
    response = client.post(url, {**data, "group": ""})
    assert offered(response) == {"Stu Student"}


def test_the_group_choice_refreshes_the_list_with_htmx_or_a_button(client, world, mentoring, team):
    client.force_login(world.mentor)
    page = client.get(reverse("mentor_meeting_new")).text
    assert 'hx-post="/mentor/meetings/new/"' in page and 'hx-select="#div_id_students"' in page
    # Without JavaScript a button does the same.
    noscript = page.split("<noscript>", 1)[1].split("</noscript>", 1)[0]
    assert 'type="submit" name="_refresh"' in noscript


def test_a_posted_student_outside_the_choice_is_refused_on_the_page(client, world, mentoring, team):
    client.force_login(world.mentor)
    data = meeting_form([mentoring.student.pk, team[0].pk])
    response = client.post(reverse("mentor_meeting_new"), data)
    assert response.status_code == 200
    assert "students" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_a_coach_without_mentees_meets_a_group(client, world, mentoring, team):
    coach = f.MentorProfileFactory(user__full_name="Coco Coach")
    f.RosterEntryFactory(user=coach.user, program=world.program, role="mentor")
    f.GroupMembershipFactory(group=world.team, mentor=coach, role="coach")
    client.force_login(coach.user)
    response = client.get(reverse("mentor_meeting_new"))
    form = response.context["form"]
    assert form.fields["group"].required and form.fields["group"].empty_label is None
    assert offered(response) == {"Stu Student", "Rita Rival", "Lou Loner"}


def test_the_refresh_is_for_the_author_only(client, world, mentoring, meeting):
    data = meeting_form([], _refresh="1")
    new, edit = reverse("mentor_meeting_new"), reverse("mentor_meeting_edit", args=[meeting.pk])
    for url in (new, edit):
        response = client.post(url, data)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(world.student)
    assert client.post(new, data).status_code == 403
    client.force_login(mentoring.rival_mentor)
    assert client.post(edit, data).status_code == 404
    client.force_login(world.mentor)
    assert client.post(edit, data).status_code == 200
