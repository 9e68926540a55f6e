"""Recruitment services: invitations from the roster and by e-mail, the
priority window, and the mentor's answer."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from mentorship.models import Engagement, Match, MentorProfile, RosterEntry, User
from mentorship.recruitment import (
    RecruitmentError,
    invite_from_roster,
    invite_new_person,
    previous_cycle,
    priority_mentor_ids,
    respond_to_invitation,
)
from programs.models import Stage
from tests import factories as f

from .recruiting import add_roster_mentors, next_cycle
from .takeover import REFUSAL_TEXT, second_program, shared_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return next_cycle(world)


def roster_mentor(program, **user):
    return add_roster_mentors(program, 1, **user)[0]


def rate_excellent(world):
    Engagement.objects.filter(cycle=world.cycle, mentor__user=world.mentor).update(
        rated_excellent=True
    )
    return world.mentor.mentor_profile


def test_previous_cycle_is_the_last_evaluated_one_before(world, cycle):
    old = f.CycleFactory(
        program=world.program, name="old", starts_on=datetime.date(2020, 9, 1), stage=Stage.CLOSED
    )
    f.CycleFactory(
        program=world.other_program, name="b", starts_on=datetime.date(2027, 1, 1), stage="closed"
    )
    assert previous_cycle(cycle) == world.cycle
    assert previous_cycle(world.cycle) == old
    # A cycle still being tracked has no final ratings: the one before it counts.
    world.cycle.stage = Stage.TRACKING
    world.cycle.save(update_fields=["stage"])
    assert previous_cycle(cycle) == old


def test_priority_comes_from_an_excellent_rating_in_the_previous_cycle(world, cycle):
    assert priority_mentor_ids(cycle) == set()
    mentor = rate_excellent(world)
    assert priority_mentor_ids(cycle) == {mentor.pk}


def test_invitation_creates_an_invited_engagement_and_mails_the_mentor(world, cycle):
    mentor = rate_excellent(world)
    other = roster_mentor(world.program, full_name="Nora New")
    outcome = invite_from_roster(cycle=cycle, mentors=[mentor, other], by=world.coordinator)

    assert len(outcome.invited) == 2 and not outcome.already and not outcome.waiting
    engagement = Engagement.objects.get(cycle=cycle, mentor=mentor)
    assert engagement.status == "invited"
    assert engagement.capacity == world.program.mentor_capacity_max
    assert engagement.invited_by == world.coordinator and engagement.invited_at is not None
    assert engagement.priority is True
    assert Engagement.objects.get(cycle=cycle, mentor=other).priority is False

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [mentor.user.email, other.user.email]
    )
    message = next(m for m in mail.outbox if m.to == [mentor.user.email])
    assert "Alumni Mentor Program" in message.subject
    assert f"/mentor/engagements/{engagement.pk}/contract/" in message.body
    assert "rated an excellent mentor" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "contract/" in html


def test_invitation_mail_is_in_the_recipients_language(world, cycle):
    mentor = roster_mentor(world.program, preferred_language="zh-hans")
    invite_from_roster(cycle=cycle, mentors=[mentor], by=world.coordinator)
    (message,) = mail.outbox
    # Locale formats follow the active language even before translations exist.
    assert "2027年9月1日" in message.body
    assert 'lang="zh-hans"' in message.alternatives[0][0]


def test_someone_who_never_chose_a_password_gets_a_password_link(world, cycle):
    mentor = roster_mentor(world.program)
    mentor.user.set_unusable_password()
    mentor.user.save()
    invite_from_roster(cycle=cycle, mentors=[mentor], by=world.coordinator)
    assert "/invitations/" in mail.outbox[0].body


def test_inviting_again_changes_nothing_and_says_so(world, cycle):
    mentor = roster_mentor(world.program)
    invite_from_roster(cycle=cycle, mentors=[mentor], by=world.coordinator)
    Engagement.objects.filter(mentor=mentor).update(status="declined")
    outcome = invite_from_roster(cycle=cycle, mentors=[mentor], by=world.steering)
    assert outcome.already[0].mentor == mentor and not outcome.invited
    engagement = Engagement.objects.get(cycle=cycle, mentor=mentor)
    assert engagement.status == "declined" and engagement.invited_by == world.coordinator
    assert len(mail.outbox) == 1


def test_during_the_priority_window_only_priority_mentors_are_invited(world, cycle):
    cycle.priority_invitations_until = timezone.now() + datetime.timedelta(days=3)
    cycle.save()
    priority = rate_excellent(world)
    later = roster_mentor(world.program)
    outcome = invite_from_roster(cycle=cycle, mentors=[priority, later], by=world.coordinator)
    assert [e.mentor for e in outcome.invited] == [priority]
    assert outcome.waiting == [later]
    assert not Engagement.objects.filter(cycle=cycle, mentor=later).exists()


def test_after_the_priority_window_everyone_can_be_invited(world, cycle):
    cycle.priority_invitations_until = timezone.now() - datetime.timedelta(minutes=1)
    cycle.save()
    later = roster_mentor(world.program)
    outcome = invite_from_roster(cycle=cycle, mentors=[later], by=world.coordinator)
    assert [e.mentor for e in outcome.invited] == [later]


@pytest.mark.parametrize("stage", [Stage.KICK_OFF, Stage.TRACKING, Stage.CLOSED])
def test_no_invitation_outside_setup_and_selection(world, cycle, stage):
    cycle.stage = stage
    cycle.save()
    mentor = roster_mentor(world.program)
    with pytest.raises(RecruitmentError, match="setup or selection"):
        invite_from_roster(cycle=cycle, mentors=[mentor], by=world.coordinator)
    assert not Engagement.objects.filter(cycle=cycle).exists() and not mail.outbox


def test_only_roster_mentors_of_the_program_are_invited(world, cycle):
    outsider = world.other_mentor.mentor_profile
    with pytest.raises(RecruitmentError, match="roster"):
        invite_from_roster(
            cycle=cycle, mentors=[roster_mentor(world.program), outsider], by=world.coordinator
        )
    assert not Engagement.objects.filter(cycle=cycle).exists()


def test_a_new_person_gets_an_account_roster_entry_and_password_link(world, cycle):
    outcome = invite_new_person(
        cycle=cycle, email=" Nina.New@Example.TEST ", name=" Nina New ", by=world.coordinator
    )
    user = User.objects.get(email="nina.new@example.test")
    assert user.full_name == "Nina New" and not user.has_usable_password()
    assert RosterEntry.objects.filter(program=world.program, user=user, role="mentor").exists()
    engagement = outcome.invited[0]
    assert engagement.mentor.user == user and engagement.status == "invited"
    (message,) = mail.outbox
    assert message.to == ["nina.new@example.test"] and "/invitations/" in message.body


def test_a_known_person_of_this_program_is_invited_as_a_roster_mentor(world, cycle):
    outcome = invite_new_person(
        cycle=cycle, email="MENTOR@example.test", name="ignored", by=world.coordinator
    )
    assert outcome.invited[0].mentor == world.mentor.mentor_profile
    assert User.objects.get(pk=world.mentor.pk).full_name == "Max Mentor"
    again = invite_new_person(
        cycle=cycle, email="mentor@example.test", name="x", by=world.coordinator
    )
    assert again.already and not again.invited and len(mail.outbox) == 1


def test_a_student_of_this_program_becomes_a_mentor_too(world, cycle):
    outcome = invite_new_person(
        cycle=cycle, email="student@example.test", name="x", by=world.coordinator
    )
    assert outcome.invited[0].mentor.user == world.student
    assert world.student.student_profile and MentorProfile.objects.filter(user=world.student)


def test_a_person_of_another_program_is_refused_without_naming_it(world, cycle):
    with pytest.raises(RecruitmentError) as error:
        invite_new_person(
            cycle=cycle, email="other-mentor@example.test", name="x", by=world.coordinator
        )
    assert error.value.field == "email"
    assert "Career Coaching" not in str(error.value)
    assert not Engagement.objects.filter(cycle=cycle).exists()
    assert not RosterEntry.objects.filter(program=world.program, user=world.other_mentor).exists()


@pytest.mark.parametrize("kind", ["no program", "shared", "b to a"])
def test_only_people_within_reach_or_already_in_the_program_are_invited(world, cycle, kind):
    """mentorship.reach: B's coordinator cannot invite A's mentor, nobody can
    invite an account in no program, and A's coordinator cannot pull someone
    who is also in B into A2."""
    by, email = world.coordinator, "loner@example.test"
    f.UserFactory(email=email)
    if kind == "shared":
        email = shared_mentor(world).user.email
        cycle = f.CycleFactory(program=second_program(world).program, stage=Stage.SELECTION)
    elif kind == "b to a":
        by, email = world.other_coordinator, world.mentor.email
        cycle = f.CycleFactory(program=world.other_program, stage=Stage.SELECTION)
    roster = RosterEntry.objects.count()

    with pytest.raises(RecruitmentError) as error:
        invite_new_person(cycle=cycle, email=email, name="x", by=by)

    assert (error.value.field, str(error.value)) == ("email", REFUSAL_TEXT)
    assert not Engagement.objects.filter(cycle=cycle).exists()
    assert RosterEntry.objects.count() == roster and not mail.outbox


def test_a_new_person_cannot_be_invited_during_the_priority_window(world, cycle):
    cycle.priority_invitations_until = timezone.now() + datetime.timedelta(days=1)
    cycle.save()
    with pytest.raises(RecruitmentError, match="rated excellent"):
        invite_new_person(cycle=cycle, email="new@example.test", name="N", by=world.coordinator)
    assert not User.objects.filter(email="new@example.test").exists()


@pytest.fixture
def invitation(world, cycle):
    mentor = roster_mentor(world.program)
    return invite_from_roster(cycle=cycle, mentors=[mentor], by=world.coordinator).invited[0]


def test_the_mentor_accepts_with_a_capacity_in_bounds(invitation):
    engagement = respond_to_invitation(
        engagement=invitation, accept=True, capacity=3, by=invitation.mentor.user
    )
    engagement.refresh_from_db()
    assert engagement.status == "accepted" and engagement.capacity == 3
    assert engagement.responded_at is not None
    assert engagement.contract_start == engagement.cycle.starts_on
    assert engagement.contract_end == engagement.cycle.ends_on


@pytest.mark.parametrize("capacity", [None, 2, 6])
def test_a_capacity_out_of_bounds_is_refused(invitation, capacity):
    with pytest.raises(RecruitmentError, match="from 3 to 5") as error:
        respond_to_invitation(
            engagement=invitation, accept=True, capacity=capacity, by=invitation.mentor.user
        )
    assert error.value.field == "capacity"
    invitation.refresh_from_db()
    assert invitation.status == "invited" and invitation.responded_at is None


def test_only_the_invited_mentor_answers(world, invitation):
    with pytest.raises(RecruitmentError, match="Only the invited mentor"):
        respond_to_invitation(engagement=invitation, accept=False, by=world.mentor)
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_the_mentor_may_decline_then_change_their_mind(invitation):
    user = invitation.mentor.user
    respond_to_invitation(engagement=invitation, accept=False, by=user)
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    respond_to_invitation(engagement=invitation, accept=True, capacity=5, by=user)
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.capacity == 5


def test_no_answer_once_selection_is_over(invitation):
    invitation.cycle.stage = Stage.KICK_OFF
    invitation.cycle.save()
    with pytest.raises(RecruitmentError, match="setup or selection"):
        respond_to_invitation(
            engagement=invitation, accept=True, capacity=4, by=invitation.mentor.user
        )


def test_a_mentor_with_matches_cannot_decline_nor_shrink_below_them(world, invitation):
    user = invitation.mentor.user
    respond_to_invitation(engagement=invitation, accept=True, capacity=5, by=user)
    for _ in range(4):
        Match.objects.create(
            enrollment=f.EnrollmentFactory(cycle=invitation.cycle),
            engagement=invitation,
            source="manual",
            reason="placed by hand",
            created_by=world.coordinator,
        )
    with pytest.raises(RecruitmentError, match="already matched"):
        respond_to_invitation(engagement=invitation, accept=False, by=user)
    with pytest.raises(RecruitmentError, match="at least that many"):
        respond_to_invitation(engagement=invitation, accept=True, capacity=3, by=user)
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.capacity == 5


def test_a_failed_email_keeps_the_invitation_and_reports_it(world, cycle, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    mentor = roster_mentor(world.program)
    outcome = invite_from_roster(cycle=cycle, mentors=[mentor], by=world.coordinator)
    assert [e.mentor for e in outcome.unsent] == [mentor]
    assert Engagement.objects.filter(cycle=cycle, mentor=mentor, status="invited").exists()
