"""Who is invited to, organises or may see an activity, as querysets.

Shared by the services, the permission helper, the lists and the calendar
feed, so that every page agrees on who belongs to an activity.

Each way of belonging is a set of activity ids read through an index, and an
activity belongs when its id is in their UNION. Written as OR'd correlated
EXISTS instead, PostgreSQL costs a subplan per activity row and the estimate
reaches millions, which set off its JIT compiler: seconds of compiling for a
plan that runs in milliseconds (issue 14).
"""

from django.db.models import Q

from mentorship.admin_scopes import people_in_programs
from mentorship.models import LEADER_ROLES, GroupMembership, User
from programs.models import Program

from .models import Activity, ActivityInvitation, Registration


def _groups_of(user):
    # Coaches' memberships are published on creation; students' once the office publishes.
    published = GroupMembership.objects.filter(published_at__isnull=False)
    # One indexed set per side: an OR across the two profile joins scans every membership.
    return (
        published.filter(mentor__user=user)
        .values("group")
        .union(published.filter(student__user=user).values("group"))
    )


def _invited_ids(user):
    coached = GroupMembership.objects.filter(mentor__user=user).values("group")
    return (
        ActivityInvitation.objects.filter(user=user)
        .values("activity")
        .union(
            ActivityInvitation.objects.filter(group__in=_groups_of(user)).values("activity"),
            Activity.objects.filter(group__in=coached).values("pk"),
        )
    )


def invited_q(user):
    """Activities ``user`` is invited to: on their own, through a group they
    belong to, or as a coach of the organising group."""
    return Q(pk__in=_invited_ids(user))


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


def _led_groups(user):
    return GroupMembership.objects.filter(mentor__user=user, role__in=LEADER_ROLES).values("group")


def organised_q(user):
    """Activities ``user`` organises: as a coordinator of the program or a
    chief or leading coach of the organising group."""
    if user.is_superuser:
        return Q(pk__isnull=False)
    # Two uncorrelated IN lists, each hashed once: cheap per row, unlike EXISTS.
    return Q(cycle__program__in=Program.objects.coordinated_by(user).values("pk")) | Q(
        group__in=_led_groups(user)
    )


def _mine_ids(user):
    return _invited_ids(user).union(Registration.objects.filter(user=user).values("activity"))


def my_activities(user):
    """Activities on ``user``'s own list: invited, or answered before (an
    invitation withdrawn later keeps the person's history)."""
    return Activity.objects.filter(pk__in=_mine_ids(user))


def visible_activities(user):
    """Activities ``user`` may open: their own, those they organise, and
    those of programs they steer."""
    if not user.is_authenticated:
        return Activity.objects.none()
    if user.is_superuser:
        return Activity.objects.all()
    # Coordinators organise their programs' activities; steering members may read them.
    staffed = Program.objects.staffed_by(user).values("pk")
    return Activity.objects.filter(
        pk__in=_mine_ids(user).union(
            Activity.objects.filter(group__in=_led_groups(user)).values("pk"),
            Activity.objects.filter(cycle__program__in=staffed).values("pk"),
        )
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
