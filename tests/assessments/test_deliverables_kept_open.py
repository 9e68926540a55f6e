"""A deliverable the coordinator kept open when the cycle moved to its final
evaluation: students still hand it in and are reminded until its due date,
never after; one not kept open is closed and silent."""

import pytest

from assessments.reminders import deliverable_reminders
from assessments.services import DeliverableError, submit
from mentorship.models import Enrollment
from programs.models import Stage

from .test_deliverable_reminders import at, days, plan  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluating(world):
    world.cycle.stage = Stage.EVALUATION
    world.cycle.save(update_fields=["stage"])
    return world.cycle


def enrollment_of(world):
    return Enrollment.objects.get(student__user=world.student, cycle=world.cycle)


def test_kept_open_is_reminded_before_due_but_not_after(world, plan, evaluating):  # noqa: F811
    plan.open_until_due = True
    plan.save(update_fields=["open_until_due"])
    [due] = deliverable_reminders(at(days(-7)))
    assert due.recipient_id == world.student.pk
    assert list(deliverable_reminders(at(days(7)))) == []


def test_not_kept_open_is_closed_and_silent(world, plan, evaluating):  # noqa: F811
    assert list(deliverable_reminders(at(days(-7)))) == []
    with pytest.raises(DeliverableError):
        submit(requirement=plan, enrollment=enrollment_of(world), content={}, now=at(days(-7)))


def test_kept_open_takes_a_version_until_due(world, plan, evaluating):  # noqa: F811
    plan.open_until_due = True
    plan.save(update_fields=["open_until_due"])
    version = submit(
        requirement=plan, enrollment=enrollment_of(world), content={}, now=at(days(-1))
    )
    assert version.number == 1 and not version.late
    with pytest.raises(DeliverableError):
        submit(requirement=plan, enrollment=enrollment_of(world), content={}, now=at(days(1)))
