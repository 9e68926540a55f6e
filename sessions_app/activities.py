"""Activities: creating and inviting, RSVP with a waiting list, attendance, ratings.

Every change to who is going locks the activity row first, so two people
taking the last place, or a cancellation racing a new RSVP, are served one
after the other and the number going never passes the capacity.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mentorship.emails import absolute_url
from mentorship.events import EventMail
from mentorship.models import LEADER_ROLES, GroupMembership
from mentorship.reminders import notify_many
from programs.models import Program
from programs.tasks_util import enqueue

from . import tasks
from .activity_access import invited_users, is_invited, is_organiser, is_program_person
from .models import (
    Activity,
    ActivityInvitation,
    Attendance,
    Registration,
    RegistrationStatus,
)

# Registrations holding or waiting for a place: the ones attendance is taken for.
ATTENDING = (RegistrationStatus.GOING, RegistrationStatus.WAITLISTED)


class ActivityError(Exception):
    """The change is not allowed now; the message says why."""


def may_create(*, user, cycle, group=None):
    """Coordinators of the cycle's program may create any activity of it;
    chief and leading coaches only activities organised by their own group."""
    if user.is_superuser or Program.objects.coordinated_by(user).filter(pk=cycle.program_id):
        return True
    return bool(
        group
        and group.cycle_id == cycle.pk
        and GroupMembership.objects.filter(
            group=group, mentor__user=user, role__in=LEADER_ROLES
        ).exists()
    )


def create_activity(*, by, cycle, group=None, guests=(), invite_group=True, **fields):
    """A new activity of ``cycle``; ``by`` must pass :func:`may_create`.
    With ``invite_group`` the organising group's members are invited."""
    if not may_create(user=by, cycle=cycle, group=group):
        raise PermissionDenied
    with transaction.atomic():
        activity = Activity(cycle=cycle, group=group, created_by=by, **fields)
        activity.full_clean()
        activity.save()
        if guests:
            activity.guests.set(guests)
        if group and invite_group:
            invitation = ActivityInvitation.objects.create(activity=activity, group=group)
            record_invitations(activity=activity, invitations=[invitation])
    return activity


def invite(*, activity, group=None, user=None):
    """Invite a group of the activity's cycle, or one student or mentor of its
    program (extra students outside the invited groups too). Idempotent; the
    invited people are notified (:func:`record_invitations`) the first time."""
    if (group is None) == (user is None):
        raise ValueError("invite a group or a person")
    if group is not None:
        if group.cycle_id != activity.cycle_id:
            raise ActivityError(_("Only groups of the activity's cycle can be invited."))
        invitation, created = ActivityInvitation.objects.get_or_create(
            activity=activity, group=group
        )
    else:
        if not is_program_person(activity.cycle.program_id, user.pk):
            raise ActivityError(_("Only students and mentors of the program can be invited."))
        invitation, created = ActivityInvitation.objects.get_or_create(activity=activity, user=user)
    if created:
        record_invitations(activity=activity, invitations=[invitation])
    return invitation


def record_invitations(*, activity, invitations):
    """Tell the people ``invitations`` (of ``activity``) invite, through the
    ledger: the next digest e-mails them and their notification centre lists
    it. Two queries for any number of invitations and people; someone invited
    twice (on their own and with a group) is told once."""
    notify_many(
        recipients=invited_users(invitations).values_list("pk", flat=True),
        kind="activity_invitation",
        subject_key=f"sessions_app.activity:{activity.pk}",
        payload={
            "title": gettext_noop("You are invited to an activity"),
            "context": activity.title,
            "url": reverse("activity_detail", args=[activity.pk]),
        },
        now=timezone.now(),
    )


def _promote(activity):
    """Fill free places from the waiting list, first come first served.
    The caller holds the activity's row lock."""
    waiting = Registration.objects.filter(
        activity=activity, status=RegistrationStatus.WAITLISTED
    ).order_by("position")
    if activity.capacity is not None:
        going = Registration.objects.filter(
            activity=activity, status=RegistrationStatus.GOING
        ).count()
        waiting = waiting[: max(activity.capacity - going, 0)]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = RegistrationStatus.GOING
        registration.position = None
        registration.save(update_fields=["status", "position", "updated_at"])
    if promoted:
        # Only a committed promotion is news; a rolled-back one mails nobody.
        enqueue(tasks.notify_promoted_task, registration_ids=[r.pk for r in promoted])
    return promoted


def notify_promoted(*, registration_ids, last_try=True):
    """Tell each person moved from the waiting list that they have a place,
    once however often this runs; mail errors and ``last_try`` as in
    mentorship.events.EventMail.finish."""
    registrations = list(
        Registration.objects.filter(
            pk__in=registration_ids, status=RegistrationStatus.GOING
        ).select_related("user", "activity")
    )
    keys = {r.pk: f"sessions_app.registration:{r.pk}" for r in registrations}
    mail = EventMail(kind="activity_place", subject_keys=keys.values(), log_name="waiting-list")
    for registration in registrations:
        activity = registration.activity
        path = reverse("activity_detail", args=[activity.pk])
        mail.send(
            registration.user,
            "activity_place",
            {"activity": activity, "activity_url": absolute_url(path)},
            subject_key=keys[registration.pk],
            payload={
                "title": gettext_noop("You have a place at an activity"),
                "context": activity.title,
                "url": path,
            },
        )
    mail.finish(last_try=last_try)


def rsvp(*, activity, user, going):
    """Answer ``user``'s invitation to ``activity``: going (or waitlisted when
    full) or not. Only invited people answer, and only before the start.
    Cancelling a place gives it to the first person waiting."""
    if activity.starts_at <= timezone.now():
        raise ActivityError(_("This activity has started; answers are closed."))
    # Someone whose invitation was withdrawn may still give their place back.
    answered = Registration.objects.filter(activity=activity, user=user, status__in=ATTENDING)
    if not is_invited(activity, user) and (going or not answered.exists()):
        raise PermissionDenied
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        registration = Registration.objects.filter(activity=locked, user=user).first()
        had_place = registration is not None and registration.status == RegistrationStatus.GOING
        if registration is None:
            registration = Registration(activity=locked, user=user)
        elif going == (registration.status in ATTENDING):
            return registration
        if going:
            taken = Registration.objects.filter(
                activity=locked, status=RegistrationStatus.GOING
            ).count()
            if locked.capacity is None or taken < locked.capacity:
                registration.status, registration.position = RegistrationStatus.GOING, None
            else:
                last = Registration.objects.filter(activity=locked).aggregate(Max("position"))
                registration.status = RegistrationStatus.WAITLISTED
                registration.position = (last["position__max"] or 0) + 1
        else:
            registration.status = (
                RegistrationStatus.CANCELLED if registration.pk else RegistrationStatus.DECLINED
            )
            registration.position = None
        registration.save()
        if not going and had_place:
            _promote(locked)
    return registration


def capacity_changed(*, activity):
    """After the office changed the places: promote whoever now fits."""
    with transaction.atomic():
        return _promote(Activity.objects.select_for_update().get(pk=activity.pk))


def attendance_rows(activity):
    """Who the organiser marks: everyone going or waiting, by name."""
    return (
        Registration.objects.filter(activity=activity, status__in=ATTENDING)
        .select_related("user")
        .order_by("status", "user__full_name", "pk")
    )


def take_attendance(*, activity, by, marks):
    """Record ``marks`` ({registration id: Attendance value or ""}) for the
    activity's going and waiting registrations, all in one transaction.
    ``by`` organises the activity; the list is open from shortly before the start."""
    if not is_organiser(activity, by):
        raise PermissionDenied
    if not activity.attendance_open:
        raise ActivityError(_("Attendance can be taken from one hour before the start."))
    if any(value not in ("", *Attendance.values) for value in marks.values()):
        raise ActivityError(_("Choose present, excused or absent."))
    now = timezone.now()
    changed = []
    with transaction.atomic():
        for registration in attendance_rows(activity).select_for_update(of=("self",)):
            value = marks.get(registration.pk)
            if value is None or value == registration.attendance:
                continue
            if value != Attendance.PRESENT and registration.rating is not None:
                # A rating belongs to someone who was there; an organiser's
                # correction takes it away rather than leave it unexplained.
                registration.rating, registration.comment, registration.rated_at = None, "", None
            registration.attendance = value
            registration.attendance_by, registration.attendance_at = by, now
            registration.save(
                update_fields=[
                    "attendance",
                    "attendance_by",
                    "attendance_at",
                    "rating",
                    "comment",
                    "rated_at",
                    "updated_at",
                ]
            )
            changed.append(registration)
    return changed


def rating_for(activity, user):
    """``user``'s registration if they may rate ``activity`` now, else None."""
    if not activity.has_ended:
        return None
    return Registration.objects.filter(
        activity=activity, user=user, attendance=Attendance.PRESENT
    ).first()


def rate(*, activity, user, rating, comment=""):
    """Rate ``activity`` 1-5 after it ended; only people marked present, one
    rating each, which they may change later."""
    registration = rating_for(activity, user)
    if registration is None:
        raise ActivityError(_("Only participants who were present rate, after the activity."))
    if rating not in range(1, 6):
        raise ActivityError(_("Choose a rating from 1 to 5."))
    registration.rating, registration.comment = rating, comment.strip()
    registration.rated_at = timezone.now()
    registration.save(update_fields=["rating", "comment", "rated_at", "updated_at"])
    return registration
