"""Meeting pages: who gets what, good and bad posts, the edit window."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from programs.models import Stage
from sessions_app.models import Meeting, MeetingParticipant, ParticipantStatus
from tests import factories as f

from .conftest import meeting_form

pytestmark = pytest.mark.django_db

MENTOR_PAGES = ["mentor_meetings", "mentor_meeting_new"]
MEETING_PAGES = ["mentor_meeting", "mentor_meeting_edit"]
ANSWERS = ["student_meeting_confirm", "student_meeting_dispute"]


@pytest.mark.parametrize("name", MENTOR_PAGES + ["student_meetings"])
def test_anonymous_people_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", MEETING_PAGES + ANSWERS)
def test_anonymous_people_are_sent_to_login_from_a_meeting(client, meeting, name):
    response = client.post(reverse(name, args=[meeting.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", MENTOR_PAGES)
def test_mentor_pages_refuse_other_roles(client, world, name):
    for persona in ("student", "coordinator"):
        client.force_login(getattr(world, persona))
        assert client.get(reverse(name)).status_code == 403


def test_the_student_page_refuses_mentors(client, world):
    client.force_login(world.mentor)
    assert client.get(reverse("student_meetings")).status_code == 403


@pytest.mark.parametrize("name", MEETING_PAGES)
def test_the_author_sees_the_meeting_and_nobody_else(client, world, mentoring, meeting, name):
    url = reverse(name, args=[meeting.pk])
    client.force_login(world.mentor)
    assert client.get(url).status_code == 200
    for person in (mentoring.rival_mentor, world.other_mentor):
        client.force_login(person)
        assert client.get(url).status_code == 404
    for person in (world.student, mentoring.rival_student, world.coordinator):
        client.force_login(person)
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", ANSWERS)
def test_answers_are_for_participants_by_post(client, world, mentoring, meeting, name):
    url = reverse(name, args=[meeting.pk])
    client.force_login(world.student)
    assert client.get(url).status_code == 405
    for person in (mentoring.rival_student, world.other_student):
        client.force_login(person)
        assert client.post(url, {"comment": "Not mine."}).status_code == 404
    client.force_login(world.mentor)
    assert client.post(url, {"comment": "Not mine."}).status_code == 403
    assert MeetingParticipant.objects.get().status == ParticipantStatus.PENDING


def test_the_mentor_logs_a_meeting(client, world, mentoring, django_capture_on_commit_callbacks):
    client.force_login(world.mentor)
    page = client.get(reverse("mentor_meeting_new")).content.decode()
    assert "Stu Student" in page
    assert "Rita Rival" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentor_meeting_new"), meeting_form([mentoring.student.pk]))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mentor_meeting", args=[meeting.pk])
    assert (meeting.author, meeting.cycle, meeting.topics) == (
        mentoring.mentor,
        world.cycle,
        ["career_planning", "internship"],
    )
    assert mail.outbox[0].to == [world.student.email]
    detail = client.get(response["Location"]).content.decode()
    assert "We went through internship offers in banking." in detail
    assert "Waiting for confirmation" in detail


@pytest.mark.parametrize(
    "changes",
    [
        {"duration_minutes": "0"},
        {"topics": []},
        {"summary": ""},
        {"starts_at": "2099-01-01T10:00"},
        {"starts_at": "2026-08-01T10:00"},
        {"mode": "telepathy"},
    ],
)
def test_bad_input_shows_an_error_and_logs_nothing(client, world, mentoring, changes):
    client.force_login(world.mentor)
    response = client.post(
        reverse("mentor_meeting_new"), meeting_form([mentoring.student.pk], **changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "is-invalid" in response.content.decode() or "alert" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_student_who_is_not_the_mentors_is_refused(client, world, mentoring):
    client.force_login(world.mentor)
    rival = mentoring.rival_student.student_profile
    response = client.post(
        reverse("mentor_meeting_new"), meeting_form([mentoring.student.pk, rival.pk])
    )
    assert response.status_code == 200
    assert "students" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_nothing_to_log_outside_kick_off_and_tracking(client, world, mentoring):
    world.cycle.stage = Stage.EVALUATION
    world.cycle.save(update_fields=["stage"])
    client.force_login(world.mentor)
    page = client.get(reverse("mentor_meeting_new")).content.decode()
    assert "You have no cycle in which meetings can be logged now." in page
    response = client.post(reverse("mentor_meeting_new"), meeting_form([mentoring.student.pk]))
    assert response.status_code == 302
    assert not Meeting.objects.exists()


def test_another_cycle_cannot_be_chosen(client, world, mentoring):
    client.force_login(world.mentor)
    url = reverse("mentor_meeting_new")
    assert client.get(url, {"cycle": world.other_cycle.pk}).status_code == 404
    assert client.get(url, {"cycle": world.cycle.pk}).status_code == 200


def test_the_author_edits_within_the_window(client, world, mentoring, meeting):
    participant = meeting.participants.get()
    participant.status, participant.answered_at = "confirmed", timezone.now()
    participant.save()
    client.force_login(world.mentor)
    url = reverse("mentor_meeting_edit", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert escape(meeting.summary) in page
    response = client.post(
        url, meeting_form([mentoring.student.pk], summary="Talked about the thesis.")
    )
    assert response.status_code == 302
    assert Meeting.objects.get().summary == "Talked about the thesis."
    assert MeetingParticipant.objects.get().status == ParticipantStatus.PENDING


def test_bad_edits_change_nothing(client, world, mentoring, meeting):
    client.force_login(world.mentor)
    url = reverse("mentor_meeting_edit", args=[meeting.pk])
    response = client.post(url, meeting_form([mentoring.student.pk], duration_minutes="0"))
    assert response.status_code == 200
    assert "duration_minutes" in response.context["form"].errors
    assert Meeting.objects.get().duration_minutes == meeting.duration_minutes


def test_after_the_window_the_meeting_is_read_only(client, world, mentoring, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    client.force_login(world.mentor)
    url = reverse("mentor_meeting_edit", args=[meeting.pk])
    response = client.get(url)
    page = response.content.decode()
    assert response.context["form"] is None
    assert "Meetings can be changed for 7 days after they are logged." in page
    assert escape(meeting.summary) in page
    response = client.post(url, meeting_form([mentoring.student.pk], summary="Too late."))
    assert response.status_code == 302
    assert Meeting.objects.get().summary == meeting.summary
    detail = client.get(reverse("mentor_meeting", args=[meeting.pk])).content.decode()
    assert reverse("mentor_meeting_edit", args=[meeting.pk]) not in detail


def test_the_mentor_lists_and_filters_their_meetings(client, world, mentoring, meeting):
    other = f.MatchFactory(
        engagement=mentoring.engagement, enrollment__cycle=world.cycle, published_at=timezone.now()
    ).enrollment.student
    f.MeetingParticipantFactory(
        meeting__cycle=world.cycle,
        meeting__author=mentoring.mentor,
        meeting__summary="About further study.",
        student=other,
    )
    f.MeetingParticipantFactory(
        meeting__cycle=world.cycle,
        meeting__author=mentoring.rival_mentor.mentor_profile,
        meeting__summary="The rival's meeting.",
        student=mentoring.rival_student.student_profile,
    )
    client.force_login(world.mentor)
    response = client.get(reverse("mentor_meetings"))
    assert len(response.context["meetings"]) == 2
    assert "Rita Rival" not in response.content.decode()
    response = client.get(reverse("mentor_meetings"), {"student": other.pk})
    assert [m.pk for m in response.context["meetings"]] == [
        Meeting.objects.get(summary="About further study.").pk
    ]
    # A student the mentor never met is not a filter.
    rival = mentoring.rival_student.student_profile
    assert client.get(reverse("mentor_meetings"), {"student": rival.pk}).status_code == 404


@pytest.mark.parametrize("value", ["abc", "\u00b2", "1" * 5000, "-1"])
def test_a_student_filter_that_is_no_id_shows_the_whole_list(client, world, meeting, value):
    client.force_login(world.mentor)
    response = client.get(reverse("mentor_meetings"), {"student": value})
    assert response.status_code == 200
    assert [m.pk for m in response.context["meetings"]] == [meeting.pk]


def test_the_filtered_list_pages_keep_the_filter(client, world, mentoring):
    f.MeetingParticipantFactory.create_batch(
        21, meeting__cycle=world.cycle, meeting__author=mentoring.mentor, student=mentoring.student
    )
    client.force_login(world.mentor)
    page = client.get(reverse("mentor_meetings"), {"student": mentoring.student.pk}).content
    assert f"?student={mentoring.student.pk}&amp;page=2" in page.decode()


def test_the_student_sees_unconfirmed_meetings_first(client, world, mentoring):
    now = timezone.now()
    for days, status, summary in (
        (1, "confirmed", "Newest, confirmed."),
        (9, "pending", "Old, waiting."),
        (3, "disputed", "Disputed."),
    ):
        f.MeetingParticipantFactory(
            meeting__cycle=world.cycle,
            meeting__author=mentoring.mentor,
            meeting__starts_at=now - datetime.timedelta(days=days),
            meeting__summary=summary,
            student=mentoring.student,
            status=status,
        )
    f.MeetingParticipantFactory(
        meeting__cycle=world.cycle, student=mentoring.rival_student.student_profile
    )
    client.force_login(world.student)
    response = client.get(reverse("student_meetings"))
    assert [p.meeting.summary for p in response.context["participations"]] == [
        "Old, waiting.",
        "Newest, confirmed.",
        "Disputed.",
    ]


def test_the_student_confirms_from_the_list(client, world, meeting):
    client.force_login(world.student)
    response = client.post(
        reverse("student_meeting_confirm", args=[meeting.pk]),
        {"next": reverse("student_home")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("student_home")
    assert "the meeting is confirmed" in response.content.decode()
    assert MeetingParticipant.objects.get().status == ParticipantStatus.CONFIRMED


@pytest.mark.parametrize("target", ["\u00b2", "student_home", "https://evil.test/"])
def test_a_next_that_is_no_path_of_the_site_goes_to_the_list(client, world, meeting, target):
    client.force_login(world.student)
    url = reverse("student_meeting_confirm", args=[meeting.pk])
    response = client.post(url, {"next": target})
    assert response["Location"] == reverse("student_meetings")


def test_a_dispute_needs_a_comment(client, world, meeting, django_capture_on_commit_callbacks):
    client.force_login(world.student)
    url = reverse("student_meeting_dispute", args=[meeting.pk])
    response = client.post(url, {"comment": " "}, follow=True)
    assert "Say what is wrong with the record." in response.content.decode()
    assert MeetingParticipant.objects.get().status == ParticipantStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"comment": "It was a phone call.", "next": "https://evil.test/"})
    stored = MeetingParticipant.objects.get()
    assert (stored.status, stored.comment) == ("disputed", "It was a phone call.")
    assert mail.outbox[-1].to == [world.mentor.email]


def test_a_group_meeting_through_the_form(client, world, mentoring):
    client.force_login(world.mentor)
    data = meeting_form([mentoring.student.pk], group=str(world.team.pk))
    assert client.post(reverse("mentor_meeting_new"), data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.group == world.team
    edit = reverse("mentor_meeting_edit", args=[meeting.pk])
    client.post(edit, {**data, "group": "", "summary": "Only the two of us."})
    assert Meeting.objects.get().group is None


def test_a_mentor_without_groups_is_not_asked_about_groups(client, world, mentoring):
    client.force_login(mentoring.rival_mentor)
    response = client.get(reverse("mentor_meeting_new"))
    assert "group" not in response.context["form"].fields
    student = mentoring.rival_student.student_profile
    data = meeting_form([student.pk])
    assert client.post(reverse("mentor_meeting_new"), data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.author.user == mentoring.rival_mentor and meeting.group is None
