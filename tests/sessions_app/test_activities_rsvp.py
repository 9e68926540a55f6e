"""RSVP: who may answer, places, the waiting list and its promotion."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from sessions_app.activities import ActivityError, capacity_changed, invite, rsvp
from sessions_app.models import Registration
from tests import factories as f

from .activity_world import invited_student, salon  # noqa: F401

pytestmark = pytest.mark.django_db


def status(activity, user):
    return Registration.objects.get(activity=activity, user=user).status


def test_group_students_and_coaches_may_answer(world, salon):  # noqa: F811
    for user in (world.student, world.mentor, salon.coach):
        assert rsvp(activity=salon.activity, user=user, going=True).status == "going"


def test_outsiders_and_unpublished_students_may_not(world, salon):  # noqa: F811
    waiting = f.GroupPlacementFactory(group=world.team).student.user
    for user in (world.other_student, world.other_mentor, waiting, world.coordinator):
        with pytest.raises(PermissionDenied):
            rsvp(activity=salon.activity, user=user, going=True)
    assert not Registration.objects.exists()


def test_single_student_outside_the_group_may_answer(world, salon):  # noqa: F811
    extra = invited_student(world, salon.activity)
    assert rsvp(activity=salon.activity, user=extra, going=True).status == "going"


def test_invite_checks_the_program_and_cycle(world, salon):  # noqa: F811
    with pytest.raises(ActivityError):
        invite(activity=salon.activity, user=world.other_student)
    with pytest.raises(ActivityError):
        invite(activity=salon.activity, group=f.GroupFactory(cycle=world.other_cycle))
    invitation = invite(activity=salon.activity, user=world.student)
    assert invite(activity=salon.activity, user=world.student) == invitation


def test_answers_close_when_the_activity_starts(world, salon):  # noqa: F811
    salon.activity.starts_at = timezone.now() - datetime.timedelta(minutes=1)
    salon.activity.save()
    with pytest.raises(ActivityError):
        rsvp(activity=salon.activity, user=world.student, going=True)


def test_full_activity_waitlists_and_cancellation_promotes_the_first(
    world,
    salon,  # noqa: F811
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    activity = salon.activity
    activity.capacity = 1
    activity.save()
    first, second = invited_student(world, activity), invited_student(world, activity)
    assert rsvp(activity=activity, user=world.student, going=True).status == "going"
    one = rsvp(activity=activity, user=first, going=True)
    two = rsvp(activity=activity, user=second, going=True)
    assert (one.status, one.position, two.status, two.position) == (
        "waitlisted",
        1,
        "waitlisted",
        2,
    )

    with django_capture_on_commit_callbacks(execute=True):
        rsvp(activity=activity, user=world.student, going=False)
    assert status(activity, world.student) == "cancelled"
    assert status(activity, first) == "going"
    assert Registration.objects.get(activity=activity, user=first).position is None
    assert status(activity, second) == "waitlisted"
    # Only the promoted person hears about it, in their language, with the page's link.
    assert [m.to for m in mailoutbox] == [[first.email]]
    assert activity.title in mailoutbox[0].subject
    assert f"/activities/{activity.pk}/" in mailoutbox[0].body

    # Leaving the waiting list promotes nobody; coming back queues behind whoever waits.
    rsvp(activity=activity, user=second, going=False)
    assert status(activity, second) == "cancelled"
    back = rsvp(activity=activity, user=world.student, going=True)
    assert (back.status, back.position) == ("waitlisted", 1)


def test_not_going_without_an_answer_is_declined_and_answers_are_idempotent(world, salon):  # noqa: F811
    assert rsvp(activity=salon.activity, user=world.student, going=False).status == "declined"
    assert rsvp(activity=salon.activity, user=world.student, going=True).status == "going"
    assert rsvp(activity=salon.activity, user=world.student, going=True).status == "going"
    assert Registration.objects.filter(activity=salon.activity).count() == 1


def test_more_places_promote_the_waiting_list(world, salon):  # noqa: F811
    activity = salon.activity
    activity.capacity = 1
    activity.save()
    rsvp(activity=activity, user=world.student, going=True)
    rsvp(activity=activity, user=salon.coach, going=True)
    activity.capacity = None
    activity.save()
    capacity_changed(activity=activity)
    assert status(activity, salon.coach) == "going"


@pytest.mark.postgres_concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_never_overfill(world, salon):  # noqa: F811
    activity = salon.activity
    activity.capacity = 1
    activity.save()
    people = [invited_student(world, activity) for _ in range(4)]
    barrier = threading.Barrier(len(people))
    errors = []

    def answer(user):
        try:
            barrier.wait()
            rsvp(activity=activity, user=user, going=True)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = sorted(
        Registration.objects.filter(activity=activity).values_list("status", flat=True)
    )
    assert statuses == ["going", "waitlisted", "waitlisted", "waitlisted"]
    positions = Registration.objects.filter(activity=activity, status="waitlisted")
    assert sorted(positions.values_list("position", flat=True)) == [1, 2, 3]


def test_withdrawn_invitation_still_lets_a_person_give_their_place_back(world, salon):  # noqa: F811
    extra = invited_student(world, salon.activity)
    rsvp(activity=salon.activity, user=extra, going=True)
    salon.activity.invitations.filter(user=extra).delete()
    with pytest.raises(PermissionDenied):
        rsvp(activity=salon.activity, user=extra, going=True)
    assert rsvp(activity=salon.activity, user=extra, going=False).status == "cancelled"
