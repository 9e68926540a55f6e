"""A stage move goes through its confirmation page: what it changes, with
counts, the choice of keeping deliverables not yet due open, and a final POST
that re-checks the guards."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Requirement
from assessments.services import closed_reason
from programs import stages
from programs.models import Stage, StageTransition
from tests import factories as f

pytestmark = pytest.mark.django_db


def advance_url(cycle):
    return reverse("admin:programs_cycle_advance", args=[cycle.pk])


@pytest.fixture
def deliverables(world):
    """Two students; the career plan due in 14 days, handed in by one of
    them; the communication record due yesterday, handed in by nobody."""
    f.EnrollmentFactory(cycle=world.cycle)
    plan = f.RequirementFactory(cycle=world.cycle)
    record = f.RequirementFactory(
        cycle=world.cycle,
        kind_code="communication_record",
        due_at=timezone.now() - datetime.timedelta(days=1),
    )
    enrollment = world.student.student_profile.enrollments.get(cycle=world.cycle)
    f.SubmissionFactory(requirement=plan, enrollment=enrollment)
    return plan, record


def test_page_lists_what_closes_with_counts_and_changes_nothing(client, world, deliverables):
    client.force_login(world.coordinator)
    response = client.get(advance_url(world.cycle))
    assert response.status_code == 200
    text = response.text
    assert "1 deliverable is not due yet and closes before its due date" in text
    assert "Personal career plan, due" in text and "1 of 2 students have not handed it in." in text
    assert "Submissions close for 1 deliverable past its due date" in text
    assert "2 of 2 students have not handed it in." in text
    assert "Judging opens to the 1 steering-group member." in text
    assert "Keep them open until their due dates" in text
    world.cycle.refresh_from_db()
    assert world.cycle.stage == Stage.TRACKING


def test_the_choice_is_required_and_its_absence_changes_nothing(client, world, deliverables):
    client.force_login(world.coordinator)
    response = client.post(advance_url(world.cycle), {"confirmed": "1", "to_stage": "evaluation"})
    assert response.status_code == 400
    assert "Choose one of these." in response.text
    world.cycle.refresh_from_db()
    assert world.cycle.stage == Stage.TRACKING
    assert not StageTransition.objects.filter(cycle=world.cycle).exists()


def test_keeping_them_open_lets_students_hand_in_until_due(client, world, deliverables):
    plan, record = deliverables
    client.force_login(world.coordinator)
    data = {"confirmed": "1", "to_stage": "evaluation", "early_deliverables": "keep"}
    response = client.post(advance_url(world.cycle), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.cycle.stage == Stage.EVALUATION
    assert plan.open_until_due
    assert closed_reason(plan) is None
    assert closed_reason(plan, at=plan.due_at + datetime.timedelta(minutes=1)) is not None
    record = Requirement.objects.get(pk=record.pk)
    assert not record.open_until_due and closed_reason(record) is not None
    transition = StageTransition.objects.get(cycle=world.cycle)
    assert transition.by == world.coordinator
    assert "Kept open until due: Personal career plan." in transition.note


def test_closing_them_closes_them(client, world, deliverables):
    plan, _record = deliverables
    client.force_login(world.coordinator)
    data = {"confirmed": "1", "to_stage": "evaluation", "early_deliverables": "close"}
    assert client.post(advance_url(world.cycle), data).status_code == 302
    plan.refresh_from_db()
    assert not plan.open_until_due
    assert closed_reason(plan) is not None
    assert "Closed before due: Personal career plan." in StageTransition.objects.get().note


def test_a_guard_that_became_true_meanwhile_still_refuses(client, world, monkeypatch):
    client.force_login(world.coordinator)
    assert client.get(advance_url(world.cycle)).status_code == 200
    guards = {**stages._guards, Stage.EVALUATION: [lambda cycle: "Not today."]}
    monkeypatch.setattr(stages, "_guards", guards)
    response = client.post(advance_url(world.cycle), {"confirmed": "1", "to_stage": "evaluation"})
    assert response.status_code == 409
    assert "Not today." in response.text
    world.cycle.refresh_from_db()
    assert world.cycle.stage == Stage.TRACKING


def test_a_page_confirmed_after_someone_else_moved_the_cycle_moves_nothing(client, world):
    client.force_login(world.coordinator)
    world.cycle.stage = Stage.EVALUATION
    world.cycle.save(update_fields=["stage"])
    # The page confirmed evaluation; the cycle is there already: not on to reward.
    response = client.post(advance_url(world.cycle), {"confirmed": "1", "to_stage": "evaluation"})
    assert response.status_code == 409
    world.cycle.refresh_from_db()
    assert world.cycle.stage == Stage.EVALUATION


def test_the_cycle_page_links_to_the_confirmation_instead_of_moving(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:programs_cycle_change", args=[world.cycle.pk]))
    assert f'href="{advance_url(world.cycle)}"' in response.text
    assert 'name="_advance"' not in response.text


def test_page_says_which_meeting_reminders_stop(client, world, mentee):
    meeting = f.MeetingFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    f.MeetingParticipantFactory(meeting=meeting, student=mentee.student)
    client.force_login(world.coordinator)
    text = client.get(advance_url(world.cycle)).text
    assert "Mentors can no longer log or change meetings" in text
    assert "stop for 1 published pair." in text
    # Students still answer in the final evaluation: that stops only at reward.
    assert "meeting answer is still pending" not in text


def test_closing_page_counts_activities_not_started(client, world):
    f.ActivityFactory(cycle=world.cycle, starts_at=timezone.now() + datetime.timedelta(days=3))
    world.cycle.stage = Stage.REWARD
    world.cycle.save(update_fields=["stage"])
    client.force_login(world.coordinator)
    text = client.get(advance_url(world.cycle)).text
    assert "1 activity has not started yet: its reminders stop." in text


@pytest.mark.parametrize("stage", [Stage.TRACKING, Stage.EVALUATION, Stage.REWARD])
def test_the_page_costs_the_same_queries_with_more_students(client, world, deliverables, stage):
    """The consequences are counts over the cycle, not a query per student or
    per deliverable's hand-in."""
    type(world.cycle).objects.filter(pk=world.cycle.pk).update(stage=stage)
    client.force_login(world.coordinator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(advance_url(world.cycle)).status_code == 200
        return len(captured)

    small = queries()
    plan, _record = deliverables
    for _ in range(5):
        enrollment = f.EnrollmentFactory(cycle=world.cycle)
        f.SubmissionFactory(requirement=plan, enrollment=enrollment)
    assert queries() == small
