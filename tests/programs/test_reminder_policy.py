"""Each program's reminder policy: defaults, the admin, and the deliverable reminders it drives."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.reminders import deliverable_reminders, latest_offset
from programs.models import Program, ProgramKind, ReminderPolicy
from programs.reminder_policy import parse_days, policies_for
from programs.services import create_program
from tests import factories as f
from tests.programs.test_admin_programs import program_form

pytestmark = pytest.mark.django_db


def change_url(program):
    return reverse("admin:programs_program_change", args=[program.pk])


def edit_form(program, **policy):
    data = program_form(
        name=program.name,
        kind=program.kind,
        organisation=program.organisation,
        **{
            "reminder_policy-INITIAL_FORMS": 1,
            "reminder_policy-0-id": ReminderPolicy.objects.get(program=program).pk,
            "reminder_policy-0-program": program.pk,
        },
    )
    data.update({f"reminder_policy-0-{key}": value for key, value in policy.items()})
    return data


class TestDefaults:
    def test_a_new_program_gets_the_default_policy(self):
        program = create_program(name="New", kind=ProgramKind.MENTOR, organisation="Uni")
        policy = program.reminder_policy
        assert policy.days_before == (14, 7, 1)
        assert (policy.overdue_every_days, policy.overdue_times) == (7, 3)
        assert (policy.meeting_gap_days, policy.unconfirmed_meeting_days) == (30, 3)
        assert (policy.review_waiting_days, policy.activity_hours_before) == (7, 24)
        assert policy.selection_days_before == 3

    def test_a_program_without_a_row_reads_the_defaults(self):
        program = Program.objects.create(name="Bare", kind=ProgramKind.MENTOR, organisation="U")
        policy = policies_for([program.pk])[program.pk]
        assert policy.pk is None
        assert policy.days_before == (14, 7, 1)

    @pytest.mark.parametrize(
        ("text", "days"), [("14,7,1", (14, 7, 1)), (" 1, 30 ,7,7", (30, 7, 1)), ("5", (5,))]
    )
    def test_days_are_parsed_largest_first(self, text, days):
        assert parse_days(text) == days

    @pytest.mark.parametrize("text", ["", "0", "7,-1", "a", "7,,1", "1000"])
    def test_bad_days_are_refused(self, text):
        with pytest.raises(ValueError):
            parse_days(text)

    @pytest.mark.parametrize(
        "values",
        [
            {"overdue_every_days": 0},
            {"meeting_gap_days": 0},
            {"activity_hours_before": 0},
            {"deliverable_days_before": "7, 1"},
            {"deliverable_days_before": "0"},
        ],
    )
    def test_the_database_refuses_bad_values(self, world, values):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReminderPolicy.objects.filter(program=world.program).update(**values)


class TestAdmin:
    def test_coordinator_sees_the_policy_on_the_program_page(self, client, world):
        client.force_login(world.coordinator)
        response = client.get(change_url(world.program))
        assert response.status_code == 200
        assert 'name="reminder_policy-0-meeting_gap_days"' in response.text

    def test_coordinator_edits_their_programs_policy(self, client, world):
        client.force_login(world.coordinator)
        response = client.post(
            change_url(world.program),
            edit_form(world.program, deliverable_days_before="10, 3", meeting_gap_days=21),
        )
        assert response.status_code == 302
        policy = ReminderPolicy.objects.get(program=world.program)
        assert policy.deliverable_days_before == "10,3"
        assert policy.meeting_gap_days == 21

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("deliverable_days_before", "14,x", "separated by commas"),
            ("deliverable_days_before", "0,7", "separated by commas"),
            ("overdue_times", 0, "greater than or equal to 1"),
            ("review_waiting_days", -2, "greater than or equal to 0"),
        ],
    )
    def test_bad_values_are_refused_with_a_message(self, client, world, field, value, message):
        client.force_login(world.coordinator)
        response = client.post(
            change_url(world.program), edit_form(world.program, **{field: value})
        )
        assert response.status_code == 200
        assert message in response.text
        policy = ReminderPolicy.objects.get(program=world.program)
        assert policy.deliverable_days_before == "14,7,1"
        assert (policy.overdue_times, policy.review_waiting_days) == (3, 7)

    def test_other_programs_policy_is_out_of_reach(self, client, world):
        client.force_login(world.coordinator)
        other = world.other_program
        response = client.post(change_url(other), edit_form(other, meeting_gap_days=5))
        assert response.status_code in (302, 404)
        assert ReminderPolicy.objects.get(program=other).meeting_gap_days == 30

    def test_steering_member_cannot_change_the_policy(self, client, world):
        client.force_login(world.steering)
        response = client.post(
            change_url(world.program), edit_form(world.program, meeting_gap_days=5)
        )
        assert response.status_code == 403
        assert ReminderPolicy.objects.get(program=world.program).meeting_gap_days == 30


DEADLINE = datetime.date(2026, 12, 20)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def days(n):
    return DEADLINE + datetime.timedelta(days=n)


class TestDeliverablesFollowThePolicy:
    @pytest.fixture
    def plan(self, world):
        ReminderPolicy.objects.filter(program=world.program).update(
            deliverable_days_before="20,2", overdue_every_days=3, overdue_times=1
        )
        return f.RequirementFactory(
            cycle=world.cycle,
            kind_code="career_plan",
            due_at=timezone.make_aware(datetime.datetime.combine(DEADLINE, datetime.time(23))),
        )

    @pytest.mark.parametrize(
        ("n", "offset"),
        [(-21, None), (-20, 20), (-14, 20), (-7, 20), (-2, 2), (2, 2), (3, -3), (5, -3), (6, None)],
    )
    def test_the_programs_own_steps(self, world, plan, n, offset):
        found = [d.offset_days for d in deliverable_reminders(at(days(n)))]
        assert found == ([] if offset is None else [offset])

    def test_another_program_keeps_its_own_policy(self, world, plan):
        other = ReminderPolicy.objects.get(program=world.other_program)
        assert latest_offset(DEADLINE, days(-7), other) == 7
