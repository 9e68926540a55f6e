"""Events go through the ledger: each shows in the centre and is e-mailed once."""

import datetime

import pytest
from django.utils import timezone

from mentorship import reminders
from mentorship.models import Notification
from mentorship.publishing import send_publication_emails
from mentorship.reminders import Due, notify, run_reminders
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 0))


@pytest.fixture(autouse=True)
def no_sources(monkeypatch):
    """Only the test's own sources: the apps' sweeps would add unrelated rows."""
    monkeypatch.setattr(reminders, "_sources", {})
    monkeypatch.setattr(reminders, "_optional_kinds", set())


def test_notify_is_due_now_and_mailed_once_in_the_digest(mailoutbox):
    ann = f.UserFactory()
    for _ in range(2):
        notify(recipient=ann, kind="x", subject_key="s:1", payload={"title": "Hi"}, now=NOW)
    row = Notification.objects.get()
    assert (row.due_on, row.offset_days, row.sent_at) == (NOW.date(), 0, None)
    # The event's own moment, not when it was written down.
    assert row.created_at == NOW
    assert run_reminders(now=NOW)["sent"] == 1
    assert run_reminders(now=NOW)["sent"] == 0
    assert len(mailoutbox) == 1
    # An event has no deadline to count down to, and is news, not a reminder.
    assert "due today" not in mailoutbox[0].body
    assert mailoutbox[0].subject == "News from your mentoring program"
    assert "these messages" in mailoutbox[0].body


def test_notify_already_mailed_is_not_mailed_again(mailoutbox):
    ann = f.UserFactory()
    notify(recipient=ann, kind="x", subject_key="s:1", payload={"title": "Hi"}, now=NOW, sent=True)
    assert run_reminders(now=NOW)["sent"] == 0
    assert mailoutbox == []
    assert Notification.objects.get().read_at is None


def test_review_decision_notifies_the_student(world, mailoutbox):
    from assessments.services import review

    version = f.SubmissionFactory(requirement=f.RequirementFactory(cycle=world.cycle))
    mentor = world.mentor.mentor_profile
    review(submission=version, reviewer=mentor, decision="comment", comment="Add dates.")
    assert not Notification.objects.exists()
    review(submission=version, reviewer=mentor, decision="returned", comment="Redo it.")
    row = Notification.objects.get()
    assert row.recipient == version.enrollment.student.user
    assert row.kind == "submission_decided" and row.sent_at is None
    assert row.payload["title"] == "Your submission was returned for revision"
    run_reminders(now=timezone.now())
    assert [m.to for m in mailoutbox] == [[version.enrollment.student.user.email]]


def meeting_to_confirm(world):
    from sessions_app.meeting_mails import send_confirmation_requests

    participant = f.MeetingParticipantFactory(student=world.student.student_profile)
    send_confirmation_requests(participant_ids=[participant.pk])


def activity_place(world):
    from sessions_app.activities import notify_promoted

    notify_promoted(registration_ids=[f.RegistrationFactory(user=world.student, status="going").pk])


@pytest.mark.parametrize("event", [meeting_to_confirm, activity_place])
def test_directly_mailed_event_is_listed_but_not_mailed_twice(world, mailoutbox, event):
    event(world)
    assert len(mailoutbox) == 1
    row = Notification.objects.get(recipient=world.student)
    assert row.kind == event.__name__ and row.sent_at is not None
    run_reminders(now=timezone.now())
    assert len(mailoutbox) == 1


def test_match_publication_is_listed_for_both_sides_and_mailed_once(world, mailoutbox):
    match = f.MatchFactory(
        enrollment__student=world.other_student.student_profile,
        enrollment__cycle=world.cycle,
        engagement__mentor=world.other_mentor.mentor_profile,
        engagement__cycle=world.cycle,
        published_at=timezone.now(),
    )
    send_publication_emails(match_ids=[match.pk])
    assert len(mailoutbox) == 2
    rows = Notification.objects.filter(kind="match_published")
    assert {row.recipient for row in rows} == {world.other_student, world.other_mentor}
    assert all(row.sent_at for row in rows)
    run_reminders(now=timezone.now())
    assert len(mailoutbox) == 2


def due(user, kind, subject):
    return Due(
        recipient_id=user.pk,
        kind=kind,
        subject_key=subject,
        due_on=NOW.date(),
        offset_days=3,
        payload={"title": f"{kind} title"},
    )


def test_opt_out_silences_optional_kinds_only(mailoutbox):
    quiet = f.UserFactory(optional_nudges=False)
    items = [due(quiet, "nudge", "n:1"), due(quiet, "deliverable", "d:1")]
    reminders.register_source("nudge", lambda now: items[:1], optional=True)
    reminders.register_source("deliverable", lambda now: items[1:])

    run_reminders(now=NOW)

    assert len(mailoutbox) == 1
    assert "deliverable title" in mailoutbox[0].body
    assert "nudge title" not in mailoutbox[0].body
    # Still marked sent (never mailed later) and still in the centre.
    assert not Notification.objects.filter(sent_at=None).exists()
    assert Notification.objects.filter(recipient=quiet).count() == 2


def test_opt_out_with_only_optional_items_sends_no_mail(mailoutbox):
    quiet = f.UserFactory(optional_nudges=False)
    keen = f.UserFactory()
    reminders.register_source(
        "nudge", lambda now: [due(quiet, "nudge", "n:1"), due(keen, "nudge", "n:1")], optional=True
    )
    assert run_reminders(now=NOW)["sent"] == 1
    assert [m.to for m in mailoutbox] == [[keen.email]]


def test_deliverable_reminders_reach_those_who_opted_out(world, mailoutbox):
    from assessments.reminders import KIND, deliverable_reminders

    # The app's own registration (required), as assessments.apps does it.
    reminders.register_source(KIND, deliverable_reminders)
    world.student.optional_nudges = False
    world.student.save(update_fields=["optional_nudges"])
    f.RequirementFactory(cycle=world.cycle)  # due in 14 days: the first reminder is due

    run_reminders(now=timezone.now())

    assert world.student.email in [m.to[0] for m in mailoutbox]


def test_preferences_turn_optional_nudges_off_and_on(client, world):
    client.force_login(world.student)
    page = client.get("/preferences/").content.decode()
    assert 'name="optional_nudges"' in page
    data = {"full_name": "Stu Student", "preferred_language": "en"}
    client.post("/preferences/", data)
    world.student.refresh_from_db()
    assert world.student.optional_nudges is False
    client.post("/preferences/", {**data, "optional_nudges": "on"})
    world.student.refresh_from_db()
    assert world.student.optional_nudges is True


def test_preferences_refuse_bad_input_and_change_nothing(client, world):
    client.force_login(world.student)
    response = client.post("/preferences/", {"full_name": "", "preferred_language": "en"})
    assert response.status_code == 200
    world.student.refresh_from_db()
    assert world.student.optional_nudges is True
