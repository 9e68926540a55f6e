"""Who is invited to, organises or may see an activity, as querysets.

Shared by the services, the permission helper, the lists and the calendar
feed, so that every page agrees on who belongs to an activity.
"""

from django.db.models import Exists, OuterRef, Q

from mentorship.admin_scopes import people_in_programs
from mentorship.models import LEADER_ROLES, GroupMembership, User
from programs.models import Program

from .models import Activity, ActivityInvitation, Registration


def _groups_of(user):
    # Coaches' memberships are published on creation; students' once the office publishes.
    return GroupMembership.objects.filter(
        Q(mentor__user=user) | Q(student__user=user), published_at__isnull=False
    ).values("group")


def invited_q(user):
    """Activities ``user`` is invited to: on their own, through a group they
    belong to, or as a coach of the organising group."""
    invitations = ActivityInvitation.objects.filter(activity=OuterRef("pk")).filter(
        Q(user=user) | Q(group__in=_groups_of(user))
    )
    coached = GroupMembership.objects.filter(mentor__user=user).values("group")
    return Q(Exists(invitations)) | Q(group__in=coached)


def invited_users(invitations):
    """The people ``invitations`` (ActivityInvitations) invite, as invited_q
    counts them: those invited on their own and the published members
    (students and coaches) of invited groups. One query."""
    ids = [invitation.pk for invitation in invitations]
    members = GroupMembership.objects.filter(
        group__activity_invitations__in=ids, published_at__isnull=False
    )
    return User.objects.filter(
        Q(pk__in=ActivityInvitation.objects.filter(pk__in=ids).values("user"))
        | Q(pk__in=members.values("mentor__user"))
        | Q(pk__in=members.values("student__user"))
    )


def organised_q(user):
    """Activities ``user`` organises: as a coordinator of the program or a
    chief or leading coach of the organising group."""
    if user.is_superuser:
        return Q(pk__isnull=False)
    led = GroupMembership.objects.filter(mentor__user=user, role__in=LEADER_ROLES).values("group")
    return Q(cycle__program__in=Program.objects.coordinated_by(user).values("pk")) | Q(
        group__in=led
    )


def _mine_q(user):
    registered = Registration.objects.filter(activity=OuterRef("pk"), user=user)
    return invited_q(user) | Q(Exists(registered))


def my_activities(user):
    """Activities on ``user``'s own list: invited, or answered before (an
    invitation withdrawn later keeps the person's history)."""
    return Activity.objects.filter(_mine_q(user))


def visible_activities(user):
    """Activities ``user`` may open: their own, those they organise, and
    those of programs they steer."""
    if not user.is_authenticated:
        return Activity.objects.none()
    return Activity.objects.filter(
        _mine_q(user)
        | organised_q(user)
        | Q(cycle__program__in=Program.objects.steered_by(user).values("pk"))
    )


def is_program_person(program_id, user_id):
    """Whether the person is a student or mentor of the program (roster, contract or enrollment)."""
    return User.objects.filter(
        people_in_programs([program_id]),
        Q(mentor_profile__isnull=False) | Q(student_profile__isnull=False),
        pk=user_id,
    ).exists()


def is_invited(activity, user):
    return Activity.objects.filter(invited_q(user), pk=activity.pk).exists()


def is_organiser(activity, user):
    return Activity.objects.filter(organised_q(user), pk=activity.pk).exists()
