"""Who belongs to an activity, read as a UNION of indexed id sets (issue 14):
exactly the rows of the OR'd EXISTS filters it replaced, for every persona.

The former filters are kept below as the reference. They were correct but
made PostgreSQL estimate millions for a list of a few dozen rows, which set
off its JIT compiler (seconds per page at the seeds' scale).
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from mentorship.models import LEADER_ROLES, GroupMembership
from programs.models import Program
from sessions_app.activity_access import (
    is_invited,
    is_organiser,
    my_activities,
    visible_activities,
)
from sessions_app.activity_overview import with_my_answer
from sessions_app.models import Activity, ActivityInvitation, Registration, RegistrationStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

ANSWER = ("pk", "my_status", "my_attendance", "my_rating", "going_count", "waiting_count")


def former_invited_q(user):
    groups = GroupMembership.objects.filter(
        Q(mentor__user=user) | Q(student__user=user), published_at__isnull=False
    ).values("group")
    invitations = ActivityInvitation.objects.filter(activity=OuterRef("pk")).filter(
        Q(user=user) | Q(group__in=groups)
    )
    coached = GroupMembership.objects.filter(mentor__user=user).values("group")
    return Q(Exists(invitations)) | Q(group__in=coached)


def former_organised_q(user):
    if user.is_superuser:
        return Q(pk__isnull=False)
    led = GroupMembership.objects.filter(mentor__user=user, role__in=LEADER_ROLES).values("group")
    return Q(cycle__program__in=Program.objects.coordinated_by(user).values("pk")) | Q(
        group__in=led
    )


def former_mine_q(user):
    registered = Registration.objects.filter(activity=OuterRef("pk"), user=user)
    return former_invited_q(user) | Q(Exists(registered))


def former_visible(user):
    if not user.is_authenticated:
        return Activity.objects.none()
    return Activity.objects.filter(
        former_mine_q(user)
        | former_organised_q(user)
        | Q(cycle__program__in=Program.objects.steered_by(user).values("pk"))
    )


def former_with_my_answer(activities, user):
    mine = Registration.objects.filter(activity=OuterRef("pk"), user=user)
    return activities.annotate(
        my_status=Subquery(mine.values("status")[:1]),
        my_attendance=Subquery(mine.values("attendance")[:1]),
        my_rating=Subquery(mine.values("rating")[:1]),
        going_count=Count("registrations", filter=Q(registrations__status="going")),
        waiting_count=Count("registrations", filter=Q(registrations__status="waitlisted")),
        i_organise=Case(
            When(former_organised_q(user), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def rows(activities, *fields):
    return sorted(activities.values_list(*(fields or ("pk",))))


@pytest.fixture
def scene(world):
    """Every way in and every near miss, in both programs."""
    past = timezone.now() - datetime.timedelta(days=5)
    coach = f.GroupMembershipFactory(group=world.team, role="coach").mentor.user
    team_salon = f.ActivityFactory(cycle=world.cycle, group=world.team, title="Team salon")
    f.ActivityInvitationFactory(activity=team_salon, group=world.team)
    # The mentor coaches (without leading) a second group: its activities are theirs uninvited.
    side = f.GroupFactory(cycle=world.cycle, name="Side team")
    f.GroupMembershipFactory(group=side, mentor=world.mentor.mentor_profile, role="coach")
    f.GroupMembershipFactory(group=side, role="leading")
    side_visit = f.ActivityFactory(cycle=world.cycle, group=side, starts_at=past)
    # A group whose student placement is not published yet: not invited through it.
    pending = f.GroupFactory(cycle=world.cycle, name="Pending team")
    placed = f.GroupPlacementFactory(group=pending).student.user
    pending_talk = f.ActivityFactory(cycle=world.cycle, group=pending)
    f.ActivityInvitationFactory(activity=pending_talk, group=pending)
    # Invited on one's own; answered with the invitation withdrawn since.
    personal = f.ActivityFactory(cycle=world.cycle)
    f.ActivityInvitationFactory(activity=personal, user=world.student)
    withdrawn = f.ActivityFactory(cycle=world.cycle, starts_at=past)
    f.RegistrationFactory(activity=withdrawn, user=world.student, attendance="present", rating=4)
    f.RegistrationFactory(activity=team_salon, user=world.student)
    f.RegistrationFactory(activity=team_salon, user=coach, status="declined")
    f.RegistrationFactory(activity=team_salon, status="waitlisted", position=1)
    # The other program's: only its own people and staff.
    elsewhere = f.ActivityFactory(cycle=world.other_cycle)
    f.ActivityInvitationFactory(activity=elsewhere, user=world.other_student)
    f.RegistrationFactory(activity=elsewhere, user=world.other_mentor)
    people = {
        "student": world.student,
        "mentor": world.mentor,
        "coach": coach,
        "placed": placed,
        "coordinator": world.coordinator,
        "steering": world.steering,
        "other_coordinator": world.other_coordinator,
        "other_mentor": world.other_mentor,
        "other_student": world.other_student,
        "outsider": f.UserFactory(),
        "superuser": f.UserFactory(is_superuser=True, is_staff=True),
    }
    return SimpleNamespace(
        people=people, activities=list(Activity.objects.all()), side_visit=side_visit
    )


def test_every_persona_sees_the_same_activities_as_before(scene):
    seen = set()
    for name, user in scene.people.items():
        mine = rows(my_activities(user))
        assert mine == rows(Activity.objects.filter(former_mine_q(user))), name
        visible = rows(visible_activities(user))
        assert visible == rows(former_visible(user)), name
        seen.update(pk for (pk,) in visible)
        for activity in scene.activities:
            assert (
                is_invited(activity, user)
                == Activity.objects.filter(former_invited_q(user), pk=activity.pk).exists()
            ), (name, activity.title)
            assert (
                is_organiser(activity, user)
                == Activity.objects.filter(former_organised_q(user), pk=activity.pk).exists()
            ), (name, activity.title)
    # Not vacuous: every activity is someone's, and the near misses stay out.
    assert seen == {activity.pk for activity in scene.activities}
    assert rows(my_activities(scene.people["placed"])) == []
    assert (scene.side_visit.pk,) in rows(my_activities(scene.people["mentor"]))
    assert rows(visible_activities(AnonymousUser())) == rows(former_visible(AnonymousUser()))


def test_every_persona_reads_the_same_answers_and_counts_as_before(scene):
    for name, user in scene.people.items():
        for activities in (my_activities(user), visible_activities(user)):
            now = with_my_answer(activities, user)
            before = former_with_my_answer(activities, user)
            assert rows(now, *ANSWER, "i_organise") == rows(before, *ANSWER, "i_organise"), name
    student = scene.people["student"]
    answers = with_my_answer(my_activities(student), student)
    assert (RegistrationStatus.GOING, 4) in answers.values_list("my_status", "my_rating")


def test_the_list_reads_id_sets_not_a_subquery_per_activity(world):
    """Structural: UNIONed id sets and one outer join for the person's answer;
    no EXISTS or LIMIT-1 subquery evaluated per activity row."""
    for user in (world.student, world.mentor, world.coordinator):
        sql = str(with_my_answer(my_activities(user), user).query).upper()
        assert "UNION" in sql
        assert "EXISTS" not in sql and "LIMIT" not in sql
        assert "EXISTS" not in str(visible_activities(user).query).upper()
