"""The meeting services: who may be in a meeting, the stage and edit-window
rules, answers, and the confirmed meetings the communication record uses."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorship.models import GroupMembership
from programs.models import Stage
from sessions_app.meeting_mails import send_dispute_notice
from sessions_app.meetings import (
    confirm_meeting,
    confirmed_meetings_for,
    dispute_meeting,
    edit_meeting,
    log_meeting,
)
from sessions_app.models import Meeting, MeetingParticipant, ParticipantStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def record(**changes):
    values = {
        "starts_at": timezone.now() - datetime.timedelta(hours=2),
        "duration_minutes": 30,
        "mode": "phone",
        "topics": ["job_search"],
        "summary": "Reviewed the CV.",
        "next_steps": "",
    }
    values.update(changes)
    return values


def log(world, mentoring, students=None, **changes):
    return log_meeting(
        mentor=mentoring.mentor,
        cycle=world.cycle,
        students=students if students is not None else [mentoring.student],
        by=world.mentor,
        **record(**changes),
    )


def test_logging_asks_each_student_to_confirm(world, mentoring, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = log(world, mentoring)
    participant = meeting.participants.get()
    assert participant.student == mentoring.student
    assert participant.status == ParticipantStatus.PENDING
    assert [message.to for message in mail.outbox] == [[world.student.email]]
    assert "Please confirm your meeting with Max Mentor" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"topics": []}, "topics"),
        ({"topics": ["gossip"]}, "topics"),
        ({"summary": ""}, "summary"),
        ({"starts_at": timezone.now() + datetime.timedelta(days=1)}, "starts_at"),
        (
            {"starts_at": timezone.make_aware(datetime.datetime(2026, 8, 1, 10))},
            "starts_at",
        ),
    ],
)
def test_a_bad_record_is_refused_on_its_field(world, mentoring, changes, field):
    with pytest.raises(ValidationError) as refused:
        log(world, mentoring, **changes)
    assert field in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_only_own_published_mentees_and_group_students_may_be_in_a_meeting(world, mentoring):
    rival_student = mentoring.rival_student.student_profile
    with pytest.raises(ValidationError) as refused:
        log(world, mentoring, students=[mentoring.student, rival_student])
    assert "students" in refused.value.message_dict
    with pytest.raises(ValidationError):
        log(world, mentoring, students=[])
    # An unpublished match gives no right to log a meeting.
    unpublished = f.MatchFactory(engagement=mentoring.engagement, enrollment__cycle=world.cycle)
    with pytest.raises(ValidationError):
        log(world, mentoring, students=[unpublished.enrollment.student])
    assert not Meeting.objects.exists()


def test_students_of_a_coached_group_may_be_in_a_meeting(world, mentoring):
    team_student = f.StudentProfileFactory()
    f.EnrollmentFactory(student=team_student, cycle=world.cycle)
    f.GroupMembershipFactory(group=world.team, mentor=None, student=team_student, role="student")
    meeting = log(world, mentoring, students=[team_student], group=world.team)
    assert meeting.group == world.team
    # With a group, only that group's students: the mentee outside it is refused.
    outsider = f.MatchFactory(
        engagement=mentoring.engagement, enrollment__cycle=world.cycle, published_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        log(world, mentoring, students=[outsider.enrollment.student], group=world.team)


def test_unpublished_group_students_and_other_groups_are_refused(world, mentoring):
    waiting = f.GroupPlacementFactory(group=world.team)
    f.EnrollmentFactory(student=waiting.student, cycle=world.cycle)
    with pytest.raises(ValidationError):
        log(world, mentoring, students=[waiting.student])
    foreign = f.GroupFactory(cycle=world.cycle)
    with pytest.raises(ValidationError) as refused:
        log(world, mentoring, group=foreign)
    assert "group" in refused.value.message_dict


def test_withdrawn_students_cannot_be_added(world, mentoring):
    mentoring.enrollment.status = "withdrawn"
    mentoring.enrollment.save(update_fields=["status"])
    GroupMembership.objects.filter(student=mentoring.student).delete()
    with pytest.raises(ValidationError):
        log(world, mentoring)


@pytest.mark.parametrize("stage", [Stage.SELECTION, Stage.EVALUATION, Stage.CLOSED])
def test_meetings_are_logged_in_kick_off_and_tracking_only(world, mentoring, stage):
    world.cycle.stage = stage
    world.cycle.save(update_fields=["stage"])
    with pytest.raises(ValidationError):
        log(world, mentoring)
    world.cycle.stage = Stage.KICK_OFF
    world.cycle.save(update_fields=["stage"])
    assert log(world, mentoring).pk


def test_only_the_mentor_logs_their_meetings(world, mentoring):
    with pytest.raises(PermissionDenied):
        log_meeting(
            mentor=mentoring.mentor,
            cycle=world.cycle,
            students=[mentoring.student],
            by=world.coordinator,
            **record(),
        )


def answered(meeting, status):
    participant = meeting.participants.get()
    participant.status = status
    participant.answered_at = timezone.now()
    participant.comment = "Wrong date." if status == ParticipantStatus.DISPUTED else ""
    participant.save()
    return participant


@pytest.mark.parametrize("status", [ParticipantStatus.CONFIRMED, ParticipantStatus.DISPUTED])
def test_changing_the_record_asks_answered_students_again(
    world, meeting, status, django_capture_on_commit_callbacks
):
    answered(meeting, status)
    with django_capture_on_commit_callbacks(execute=True):
        edit_meeting(meeting=meeting, by=world.mentor, summary="Corrected summary.")
    participant = meeting.participants.get()
    assert (participant.status, participant.answered_at, participant.comment) == (
        ParticipantStatus.PENDING,
        None,
        "",
    )
    assert Meeting.objects.get().summary == "Corrected summary."
    assert "changed a meeting record" in mail.outbox[-1].subject


def test_saving_the_same_record_keeps_the_answers(
    world, meeting, django_capture_on_commit_callbacks
):
    answered(meeting, ParticipantStatus.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        edit_meeting(meeting=meeting, by=world.mentor, summary=meeting.summary)
    assert meeting.participants.get().status == ParticipantStatus.CONFIRMED
    assert mail.outbox == []


def test_changing_the_students_asks_only_the_new_ones(
    world, mentoring, meeting, django_capture_on_commit_callbacks
):
    answered(meeting, ParticipantStatus.CONFIRMED)
    other = f.MatchFactory(
        engagement=mentoring.engagement, enrollment__cycle=world.cycle, published_at=timezone.now()
    ).enrollment.student
    with django_capture_on_commit_callbacks(execute=True):
        edit_meeting(meeting=meeting, by=world.mentor, students=[mentoring.student, other])
    statuses = dict(meeting.participants.values_list("student", "status"))
    assert statuses == {mentoring.student.pk: "confirmed", other.pk: "pending"}
    assert [message.to for message in mail.outbox] == [[other.user.email]]
    edit_meeting(meeting=meeting, by=world.mentor, students=[other])
    assert list(meeting.participants.values_list("student", flat=True)) == [other.pk]


def test_the_author_edits_within_the_window_then_only_a_coordinator(world, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=timezone.now()
        - datetime.timedelta(days=world.program.meeting_edit_days, hours=1)
    )
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        edit_meeting(meeting=meeting, by=world.mentor, summary="Too late.")
    edit_meeting(meeting=meeting, by=world.coordinator, summary="Corrected by the office.")
    assert Meeting.objects.get().summary == "Corrected by the office."


@pytest.mark.parametrize("persona", ["steering", "other_coordinator", "student", "other_mentor"])
def test_nobody_else_edits(world, meeting, persona):
    with pytest.raises(PermissionDenied):
        edit_meeting(meeting=meeting, by=getattr(world, persona), summary="Not mine.")
    assert Meeting.objects.get().summary == meeting.summary


def test_the_student_confirms_or_disputes(world, meeting, django_capture_on_commit_callbacks):
    participant = meeting.participants.select_related("meeting__cycle", "student").get()
    confirm_meeting(participant=participant, by=world.student)
    assert MeetingParticipant.objects.get().status == ParticipantStatus.CONFIRMED
    with pytest.raises(ValidationError):
        dispute_meeting(participant=participant, comment="  ", by=world.student)
    assert MeetingParticipant.objects.get().status == ParticipantStatus.CONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        dispute_meeting(participant=participant, comment="We met on Monday.", by=world.student)
    stored = MeetingParticipant.objects.get()
    assert (stored.status, stored.comment) == (ParticipantStatus.DISPUTED, "We met on Monday.")
    assert mail.outbox[-1].to == [world.mentor.email]
    assert "We met on Monday." in mail.outbox[-1].body


def test_no_dispute_notice_for_a_student_taken_off_the_meeting(world, meeting):
    participant = f.MeetingParticipantFactory(meeting=meeting, status=ParticipantStatus.DISPUTED)
    participant.delete()
    send_dispute_notice(participant_id=participant.pk)
    assert mail.outbox == []


def test_only_the_student_answers_and_not_after_evaluation(world, mentoring, meeting):
    participant = meeting.participants.select_related("meeting__cycle", "student").get()
    with pytest.raises(PermissionDenied):
        confirm_meeting(participant=participant, by=world.mentor)
    world.cycle.stage = Stage.EVALUATION
    world.cycle.save(update_fields=["stage"])
    participant.meeting.cycle.stage = Stage.EVALUATION
    confirm_meeting(participant=participant, by=world.student)
    participant.meeting.cycle.stage = Stage.REWARD
    with pytest.raises(ValidationError):
        dispute_meeting(participant=participant, comment="Late.", by=world.student)
    assert MeetingParticipant.objects.get().status == ParticipantStatus.CONFIRMED


def test_confirmed_meetings_for_an_enrollment(world, mentoring):
    now = timezone.now()
    for days, status in ((3, "confirmed"), (10, "confirmed"), (5, "pending"), (7, "disputed")):
        f.MeetingParticipantFactory(
            meeting__cycle=world.cycle,
            meeting__author=mentoring.mentor,
            meeting__starts_at=now - datetime.timedelta(days=days),
            student=mentoring.student,
            status=status,
        )
    # Another student's confirmed meeting, and the student's in another cycle.
    f.MeetingParticipantFactory(meeting__cycle=world.cycle, status="confirmed")
    f.MeetingParticipantFactory(student=mentoring.student, status="confirmed")
    meetings = list(confirmed_meetings_for(mentoring.enrollment))
    assert [(now - m.starts_at).days for m in meetings] == [10, 3]


@pytest.mark.parametrize(
    "changes",
    [
        {"duration_minutes": 0},
        {"summary": ""},
        {"mode": "telepathy"},
    ],
)
def test_the_database_refuses_a_bad_meeting(world, mentoring, changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.MeetingFactory(cycle=world.cycle, author=mentoring.mentor, **changes)


def test_the_database_refuses_a_bad_answer(meeting, mentoring):
    participant = meeting.participants.get()
    for changes in (
        {"status": "disputed", "comment": "", "answered_at": timezone.now()},
        {"status": "confirmed", "answered_at": None},
        {"status": "pending", "answered_at": timezone.now()},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            MeetingParticipant.objects.filter(pk=participant.pk).update(**changes)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingParticipant.objects.create(meeting=meeting, student=mentoring.student)
