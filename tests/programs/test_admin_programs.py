"""Programs and cycles in the admin: who may add them, the stage button."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from programs.models import (
    AwardCategory,
    CompetenceDimension,
    Cycle,
    DeliverableKind,
    GroupRule,
    Program,
    Stage,
    StageTransition,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return f.UserFactory(email="root@example.test", is_staff=True, is_superuser=True)


def program_form(**overrides):
    data = {
        "name": "Engineering Mentors",
        "kind": "mentor",
        "organisation": "School of Engineering",
        "description": "",
        "is_active": "on",
        "mentor_capacity_min": 3,
        "mentor_capacity_max": 5,
        "preferences_count": 5,
        "group_contacts": "leaders",
        "meeting_edit_days": 7,
        "at_risk_after_days": 30,
        "versions_per_day": 5,
        "upload_space_mb": 50,
    }
    for prefix in (
        "competencedimension_set",
        "deliverablekind_set",
        "awardcategory_set",
        "rubriccriterion_set",
        "surveyquestion_set",
        "grouprule_set",
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": 0,
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    data.update(policy_form())
    data.update(overrides)
    return data


def policy_form(**overrides):
    data = {
        "reminder_policy-TOTAL_FORMS": 1,
        "reminder_policy-INITIAL_FORMS": 0,
        "reminder_policy-MIN_NUM_FORMS": 1,
        "reminder_policy-MAX_NUM_FORMS": 1,
        "reminder_policy-0-deliverable_days_before": "14,7,1",
        "reminder_policy-0-overdue_every_days": 7,
        "reminder_policy-0-overdue_times": 3,
        "reminder_policy-0-meeting_gap_days": 30,
        "reminder_policy-0-unconfirmed_meeting_days": 3,
        "reminder_policy-0-review_waiting_days": 7,
        "reminder_policy-0-activity_hours_before": 24,
        "reminder_policy-0-selection_days_before": 3,
    }
    data.update({f"reminder_policy-0-{key}": value for key, value in overrides.items()})
    return data


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


class TestPrograms:
    def test_superuser_adds_program_with_default_rules(self, client, superuser):
        client.force_login(superuser)
        response = client.post(reverse("admin:programs_program_add"), program_form())
        assert response.status_code == 302
        program = Program.objects.get(name="Engineering Mentors")
        assert CompetenceDimension.objects.filter(program=program).count() == 3
        assert DeliverableKind.objects.filter(program=program).count() == 3
        assert AwardCategory.objects.filter(program=program).count() == 3
        assert GroupRule.objects.filter(program=program, kind="mentor_team").exists()

    def test_rule_typed_on_add_page_wins_over_default(self, client, superuser):
        client.force_login(superuser)
        data = program_form(
            **{
                "competencedimension_set-TOTAL_FORMS": 1,
                "competencedimension_set-0-position": 0,
                "competencedimension_set-0-code": "self_awareness",
                "competencedimension_set-0-name": "Knowing oneself",
                "competencedimension_set-0-description": "",
            }
        )
        assert client.post(reverse("admin:programs_program_add"), data).status_code == 302
        dimensions = CompetenceDimension.objects.filter(program__name="Engineering Mentors")
        assert dimensions.count() == 3
        assert dimensions.get(code="self_awareness").name == "Knowing oneself"

    def test_coordinator_cannot_add_program(self, client, world):
        client.force_login(world.coordinator)
        assert client.get(reverse("admin:programs_program_add")).status_code == 403
        response = client.post(reverse("admin:programs_program_add"), program_form())
        assert response.status_code == 403
        assert not Program.objects.filter(name="Engineering Mentors").exists()

    def test_coordinator_edits_own_programs_rules(self, client, world):
        client.force_login(world.coordinator)
        response = client.get(reverse("admin:programs_program_change", args=[world.program.pk]))
        assert response.status_code == 200
        assert 'name="_save"' in response.text
        assert "competencedimension_set-TOTAL_FORMS" in response.text

    def test_coordinator_adds_cycle_to_own_program(self, client, world):
        client.force_login(world.coordinator)
        response = client.post(
            reverse("admin:programs_cycle_add"),
            {
                "program": world.program.pk,
                "name": "2027-2028",
                "starts_on": "2027-09-01",
                "ends_on": "2028-07-31",
                "transitions-TOTAL_FORMS": 0,
                "transitions-INITIAL_FORMS": 0,
            },
        )
        assert response.status_code == 302
        cycle = Cycle.objects.get(name="2027-2028")
        assert (cycle.program, cycle.stage) == (world.program, Stage.SETUP)

    def test_save_as_new_with_errors_shows_the_form_again(self, client, world):
        # Django shows the change page for a failed "save as new", with no
        # cycle yet: the stage box, which links to the cycle's pages, was a 500.
        client.force_login(world.coordinator)
        url = reverse("admin:programs_cycle_change", args=[world.cycle.pk])
        response = client.post(url, {"_saveasnew": "1", "name": ""})
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
        assert Cycle.objects.count() == 2

    def test_stage_is_not_editable_through_the_form(self, client, world):
        client.force_login(world.coordinator)
        response = client.get(reverse("admin:programs_cycle_change", args=[world.cycle.pk]))
        assert "stage" not in response.context["adminform"].form.fields


def advance_url(cycle):
    return reverse("admin:programs_cycle_advance", args=[cycle.pk])


def confirmed(cycle, to_stage=None):
    """What the confirmation page posts for a move of ``cycle`` to its next stage."""
    return {"confirmed": "1", "to_stage": to_stage or cycle.next_stage}


class TestStageButton:
    def test_button_shows_next_stage(self, client, world):
        client.force_login(world.coordinator)
        response = client.get(reverse("admin:programs_cycle_change", args=[world.cycle.pk]))
        assert advance_url(world.cycle) in response.text
        assert "Move to Final evaluation" in response.text

    def test_advances_and_records_transition(self, client, world):
        client.force_login(world.coordinator)
        response = client.post(advance_url(world.cycle), confirmed(world.cycle), follow=True)
        assert response.status_code == 200
        world.cycle.refresh_from_db()
        assert world.cycle.stage == Stage.EVALUATION
        transition = StageTransition.objects.get(cycle=world.cycle)
        assert (transition.from_stage, transition.to_stage, transition.by) == (
            Stage.TRACKING,
            Stage.EVALUATION,
            world.coordinator,
        )
        assert any("moved to" in message for message in messages_of(response))
        # The history inline shows the move.
        assert "Process tracking" in response.text

    def test_refused_move_shows_reasons_and_changes_nothing(self, client, world):
        cycle = f.CycleFactory(program=world.program, name="2030", stage=Stage.SELECTION)
        client.force_login(world.coordinator)
        response = client.post(advance_url(cycle), confirmed(cycle))
        # The confirmation is computed again: it refuses, on the page, and no button.
        assert response.status_code == 409
        cycle.refresh_from_db()
        assert cycle.stage == Stage.SELECTION
        assert not StageTransition.objects.filter(cycle=cycle).exists()
        assert "No mentor has accepted" in response.text
        assert 'name="confirmed"' not in response.text

    def test_page_says_why_the_cycle_cannot_move_yet_instead_of_a_button(self, client, world):
        cycle = f.CycleFactory(program=world.program, name="2030", stage=Stage.SELECTION)
        client.force_login(world.coordinator)
        response = client.get(reverse("admin:programs_cycle_change", args=[cycle.pk]))
        assert "Before the cycle can move to Kick-off:" in response.text
        assert "No mentor has accepted" in response.text
        assert advance_url(cycle) not in response.text

    def test_closed_cycle_has_no_button(self, client, world):
        cycle = f.CycleFactory(program=world.program, name="2020", stage=Stage.CLOSED)
        client.force_login(world.coordinator)
        response = client.get(reverse("admin:programs_cycle_change", args=[cycle.pk]))
        assert advance_url(cycle) not in response.text

    def test_get_asks_and_does_not_advance(self, client, world):
        client.force_login(world.coordinator)
        response = client.get(advance_url(world.cycle))
        assert response.status_code == 200
        assert "Yes, move to Final evaluation" in response.text
        world.cycle.refresh_from_db()
        assert world.cycle.stage == Stage.TRACKING

    def test_other_programs_coordinator_cannot_advance(self, client, world):
        client.force_login(world.other_coordinator)
        response = client.post(advance_url(world.cycle), confirmed(world.cycle))
        assert response.status_code == 404
        assert client.get(advance_url(world.cycle)).status_code == 404
        world.cycle.refresh_from_db()
        assert world.cycle.stage == Stage.TRACKING

    def test_steering_member_sees_no_button_and_cannot_advance(self, client, world):
        client.force_login(world.steering)
        response = client.get(reverse("admin:programs_cycle_change", args=[world.cycle.pk]))
        assert response.status_code == 200
        assert advance_url(world.cycle) not in response.text
        assert client.post(advance_url(world.cycle), confirmed(world.cycle)).status_code == 403
        assert client.get(advance_url(world.cycle)).status_code == 403
        world.cycle.refresh_from_db()
        assert world.cycle.stage == Stage.TRACKING

    def test_anonymous_is_sent_to_admin_login(self, client, world):
        response = client.post(advance_url(world.cycle), confirmed(world.cycle))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
        assert client.get(advance_url(world.cycle)).url.startswith(reverse("admin:login"))
        world.cycle.refresh_from_db()
        assert world.cycle.stage == Stage.TRACKING

    def test_csrf_is_required(self, world):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(world.coordinator)
        assert client.post(advance_url(world.cycle), confirmed(world.cycle)).status_code == 403
        world.cycle.refresh_from_db()
        assert world.cycle.stage == Stage.TRACKING
