"""Dates people type stay from 2000 to 2099, and the dashboards' month axis
never overflows (issue 12, section 4: a cycle ending 9999-12-31 broke them)."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.dashboard import AXIS_MONTHS, Scope, dashboard, month_axis
from assessments.forms import InternshipReportForm
from programs.models import Cycle
from tests import factories as f

pytestmark = pytest.mark.django_db

TYPED_DATES = [
    ("programs.Cycle", "starts_on"),
    ("programs.Cycle", "ends_on"),
    ("programs.Cycle", "preference_deadline"),
    ("programs.Cycle", "priority_invitations_until"),
    ("mentorship.Engagement", "contract_start"),
    ("mentorship.Engagement", "contract_end"),
    ("mentorship.Opportunity", "deadline"),
    ("sessions_app.Activity", "starts_at"),
    ("sessions_app.Activity", "ends_at"),
    ("sessions_app.Meeting", "starts_at"),
    ("assessments.Requirement", "due_at"),
]
MESSAGE = "Enter a date from the year 2000 to the year 2099."


def moment(year, month=1, day=1, hour=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def value_for(field, year, month=1, day=1):
    if field.get_internal_type() == "DateTimeField":
        return moment(year, month, day, 12)
    return datetime.date(year, month, day)


@pytest.mark.parametrize("label, name", TYPED_DATES)
@pytest.mark.parametrize("year, month, day", [(1999, 12, 31), (2100, 1, 1), (9999, 12, 31)])
def test_a_typed_date_outside_the_range_is_a_field_error(label, name, year, month, day):
    field = apps.get_model(label)._meta.get_field(name)
    with pytest.raises(ValidationError) as refused:
        field.clean(value_for(field, year, month, day), None)
    assert refused.value.messages == [MESSAGE]
    for year, month, day in ((2000, 1, 1), (2099, 12, 31)):
        field.clean(value_for(field, year, month, day), None)


FACTORIES = {
    "programs.Cycle": f.CycleFactory,
    "mentorship.Engagement": f.EngagementFactory,
    "mentorship.Opportunity": f.OpportunityFactory,
    "sessions_app.Activity": f.ActivityFactory,
    "sessions_app.Meeting": f.MeetingFactory,
    "assessments.Requirement": f.RequirementFactory,
}


@pytest.mark.parametrize("label, name", TYPED_DATES)
def test_the_database_refuses_dates_outside_the_range(label, name):
    field = apps.get_model(label)._meta.get_field(name)
    # An end too late, anything else too early: the row's other rules (an
    # end after its start) still hold, so only the range is broken.
    year = 2100 if name.endswith(("ends_on", "ends_at", "_end")) else 1999
    with pytest.raises(IntegrityError, match="in_range"), transaction.atomic():
        FACTORIES[label](**{name: value_for(field, year)})


def test_the_cycle_admin_refuses_an_end_in_year_9999(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:programs_cycle_add"),
        {
            "program": world.program.pk,
            "name": "Forever",
            "starts_on": "2027-09-01",
            "ends_on": "9999-12-31",
            "transitions-TOTAL_FORMS": 0,
            "transitions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.text
    assert not Cycle.objects.filter(name="Forever").exists()


def test_the_internship_report_dates_are_bounded():
    form = InternshipReportForm(
        {"start_date": "2027-06-01", "end_date": "9999-12-31"}, requirement=None
    )
    assert not form.is_valid()
    assert form.errors == {"end_date": [MESSAGE]}


class TestMonthAxis:
    def test_a_far_end_date_is_cut_and_never_overflows(self, world):
        # Rows stored before the dates were bounded may still hold such a date.
        world.cycle.ends_on = datetime.date(9999, 12, 31)
        months = [month for month, _n in dashboard(Scope(cycle=world.cycle)).meetings]
        assert len(months) == AXIS_MONTHS
        assert months[0] == datetime.date(2026, 9, 1)

    def test_the_last_month_of_the_calendar_has_no_successor(self):
        axis = month_axis(datetime.date(9999, 11, 5), datetime.date(9999, 12, 31), [])
        assert axis == [datetime.date(9999, 11, 1), datetime.date(9999, 12, 1)]

    def test_months_with_data_outside_the_cycle_are_drawn(self):
        data = [datetime.date(2026, 6, 1), datetime.date(2027, 9, 1)]
        axis = month_axis(datetime.date(2026, 9, 1), datetime.date(2027, 7, 31), data)
        assert axis[0] == datetime.date(2026, 6, 1) and axis[-1] == datetime.date(2027, 9, 1)
        assert len(axis) == 16

    def test_a_year_long_cycle_draws_its_months(self):
        axis = month_axis(datetime.date(2026, 9, 1), datetime.date(2027, 7, 31), [])
        assert len(axis) == 11 and axis[-1] == datetime.date(2027, 7, 1)
