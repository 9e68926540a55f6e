"""``manage.py seed_demo``: the demo programs, the demo logins, idempotence and
the bulk benchmark mode at a tiny size."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mentorship.demo.catalogue import ALUMNI, COACHING, build_plan
from mentorship.demo.plan import COORDINATOR, LOGINS, MENTOR, STEERING, STUDENT
from mentorship.models import (
    Engagement,
    Enrollment,
    Group,
    GroupJudgement,
    GroupMembership,
    Guest,
    Match,
    MentorProfile,
    StaffRole,
    StudentProfile,
    User,
)
from mentorship.recruitment import priority_mentor_ids
from mentorship.staff_groups import COORDINATORS
from programs.models import Cycle, GroupKind, Program, Stage

pytestmark = pytest.mark.django_db


def seed(*args, **options):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # The demo stores a PDF for an internship report.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db):
    # pytest-django runs with DEBUG off, where the demo logins need --force.
    return seed(force=True)


def snapshot():
    """Every row of the project's apps and allauth's addresses, plus all counts."""
    project = ("programs", "mentorship", "sessions_app", "assessments", "account")
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in project
    }
    return rows, {model._meta.label: model.objects.count() for model in apps.get_models()}


def assert_groups_follow_rules(cycle):
    rules = {rule.kind: rule for rule in cycle.program.grouprule_set.all()}
    capacity = dict(cycle.engagements.values_list("mentor_id", "capacity"))
    low, high = cycle.program.mentor_capacity_min, cycle.program.mentor_capacity_max
    assert capacity and all(low <= c <= high for c in capacity.values())
    in_groups = set()
    for group in cycle.groups.prefetch_related("memberships"):
        rule = rules[group.kind]
        members = list(group.memberships.all())
        mentors = [m for m in members if m.mentor_id]
        students = [m for m in members if m.student_id]
        leaders = [m for m in mentors if m.role in ("chief", "leading")]
        assert rule.min_mentors <= len(mentors) <= (rule.max_mentors or len(mentors)), group
        assert 1 <= len(leaders) <= rule.max_leaders, group
        assert len(students) <= (rule.max_students or len(students)), group
        # Every coach is engaged in the cycle, and together they can take the group.
        assert all(m.mentor_id in capacity for m in mentors), group
        assert len(students) <= sum(capacity[m.mentor_id] for m in mentors), group
        in_groups.update(m.mentor_id for m in mentors)
    assert in_groups == set(capacity)
    placed_statuses = ["matched", "finished"]
    matched = cycle.enrollments.filter(status__in=placed_statuses).values_list(
        "student_id", flat=True
    )
    placed = GroupMembership.objects.filter(group__cycle=cycle, student__isnull=False)
    assert sorted(placed.values_list("student_id", flat=True)) == sorted(matched)


def test_both_programs_with_a_current_and_a_closed_cycle(demo):
    today = timezone.localdate()
    alumni, coaching = Program.objects.get(name=ALUMNI), Program.objects.get(name=COACHING)
    assert (alumni.kind, alumni.organisation) == (
        "mentor",
        "School of Economics and Business Administration",
    )
    assert (coaching.kind, coaching.organisation) == ("coaching", "Career Development Center")
    for program in (alumni, coaching):
        # Created through create_program: the default rules are there.
        assert program.competencedimension_set.count() == 3
        assert program.grouprule_set.exists()
        current, past = program.cycles.exclude(stage=Stage.SELECTION).order_by("-starts_on")
        assert current.stage == Stage.TRACKING
        assert current.starts_on <= today <= current.ends_on
        assert past.stage == Stage.CLOSED and past.ends_on < current.starts_on
        for cycle, stages in ((current, 3), (past, 6)):
            moves = list(cycle.transitions.order_by("at"))
            assert len(moves) == stages
            assert moves[-1].to_stage == cycle.stage
            assert cycle.stage_changed_at == moves[-1].at
            assert all(a.to_stage == b.from_stage for a, b in zip(moves, moves[1:], strict=False))
            assert {move.by.email for move in moves} == {COORDINATOR}
            assert moves[-1].at <= timezone.now()
            status = "ended" if cycle.is_closed else "accepted"
            assert set(cycle.engagements.values_list("status", flat=True)) == {status}
            # Closing a cycle finishes its matched students' enrollments.
            placed = "finished" if cycle.is_closed else "matched"
            assert set(cycle.enrollments.values_list("status", flat=True)) == {placed}
            assert_groups_follow_rules(cycle)
    assert "Logins (password demo-pass-2026)" in demo
    assert all(email in demo for email in LOGINS)


def test_alumni_teams_of_three_mentors_each_with_three_to_five_students(demo):
    plan = build_plan(timezone.localdate())
    for cycle_spec, cycle in zip(
        plan.programs[0].cycles[1:],
        Cycle.objects.filter(program__name=ALUMNI)
        .exclude(stage=Stage.SELECTION)
        .order_by("-starts_on"),
        strict=True,
    ):
        assert cycle_spec.name == cycle.name
        groups = cycle.groups.all()
        assert groups and {g.kind for g in groups} == {GroupKind.MENTOR_TEAM}
        for spec in cycle_spec.groups:
            team = groups.get(name=spec.name)
            roles = sorted(team.memberships.exclude(role="student").values_list("role", flat=True))
            assert roles == ["chief", "coach", "coach"]
            assert len(spec.assignments) == 3
            for email, students in spec.assignments.items():
                engagement = cycle.engagements.get(mentor__user__email=email)
                assert 3 <= len(students) <= engagement.capacity <= 5
            placed = team.memberships.filter(student__isnull=False)
            assert set(placed.values_list("student__user__email", flat=True)) == set(spec.students)
    # Mentors rated excellent last cycle have priority in this one.
    current, past = (
        Cycle.objects.filter(program__name=ALUMNI)
        .exclude(stage=Stage.SELECTION)
        .order_by("-starts_on")
    )
    assert set(
        past.engagements.filter(rated_excellent=True).values_list("mentor", flat=True)
    ) == set(current.engagements.filter(priority=True).values_list("mentor", flat=True))
    priority = current.engagements.filter(priority=True)
    assert priority.count() >= 2
    assert set(priority.values_list("mentor", flat=True)) <= set(
        past.engagements.values_list("mentor", flat=True)
    )
    kinds = set(MentorProfile.objects.filter(engagements__cycle=current).values_list("kind"))
    assert {("alumnus",), ("entrepreneur",), ("government",)} <= kinds


def test_coaching_groups_of_each_kind_and_guests(demo):
    current = Cycle.objects.get(program__name=COACHING, stage=Stage.TRACKING)
    groups = {
        g.kind: g
        for g in current.groups.annotate(
            coaches=Count("memberships", filter=Q(memberships__mentor__isnull=False)),
            students=Count("memberships", filter=Q(memberships__student__isnull=False)),
            employers=Count("memberships__mentor__organisation", distinct=True),
        )
    }
    assert set(groups) == {GroupKind.ENTERPRISE, GroupKind.INDUSTRY, GroupKind.PERSONALIZED}
    enterprise, industry = groups[GroupKind.ENTERPRISE], groups[GroupKind.INDUSTRY]
    personalized = groups[GroupKind.PERSONALIZED]
    assert enterprise.coaches >= 5 and 18 <= enterprise.students <= 20
    assert enterprise.sponsoring_organisation and enterprise.employers == 1
    assert industry.coaches >= 5 and 15 <= industry.students <= 20 and industry.employers > 2
    assert personalized.coaches <= 5 and personalized.students < 10
    leading = personalized.memberships.filter(role="leading").count()
    assert 1 <= leading <= 2
    guests = Guest.objects.filter(program__name=COACHING)
    assert guests.count() >= 3
    assert all(g.name and g.organisation and g.title and g.email for g in guests)


def test_roster_holds_every_mentor_and_student_of_each_program(demo):
    for program in Program.objects.all():
        roster = set(program.roster.values_list("user_id", "role"))
        engaged = Engagement.objects.filter(cycle__program=program)
        enrolled = Enrollment.objects.filter(cycle__program=program)
        assert {(u, "mentor") for u in engaged.values_list("mentor__user", flat=True)} <= roster
        assert {(u, "student") for u in enrolled.values_list("student__user", flat=True)} <= roster
    numbers = StudentProfile.objects.values_list("student_number", flat=True)
    assert len(set(numbers)) == len(numbers) and all(numbers)


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_the_four_logins_sign_in_with_the_demo_password(client, demo):
    for email in LOGINS:
        client.logout()
        response = client.post(
            reverse("account_login"), {"login": email, "password": settings.DEMO_PASSWORD}
        )
        # Unverified addresses would be sent to the verification page instead.
        assert (response.status_code, response.url) == (302, reverse("home")), email
        assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)
        # Each lands on a working home page filled with the demo's data.
        assert client.get(reverse("home"), follow=True).status_code == 200
        assert EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()
    coordinator = User.objects.get(email=COORDINATOR)
    assert coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.groups.filter(name=COORDINATORS).exists()
    for email, role in ((COORDINATOR, "coordinator"), (STEERING, "steering")):
        roles = StaffRole.objects.filter(user__email=email, role=role)
        assert set(roles.values_list("program__name", flat=True)) == {ALUMNI, COACHING}
    # Nobody else in the demo can sign in.
    others = User.objects.exclude(email__in=LOGINS)
    assert others.exists() and not any(user.has_usable_password() for user in others)


def test_demo_mentor_chiefs_a_team_with_the_demo_student(demo):
    team = Group.objects.get(
        cycle__program__name=ALUMNI,
        cycle__stage=Stage.TRACKING,
        memberships__mentor__user__email=MENTOR,
        memberships__role="chief",
    )
    assert team.memberships.filter(student__user__email=STUDENT).exists()
    spec = next(
        g
        for g in build_plan(timezone.localdate()).programs[0].cycles[1].groups
        if g.name == team.name
    )
    assert STUDENT in spec.assignments[MENTOR] and 3 <= len(spec.assignments[MENTOR]) <= 5
    # Every team student is matched to their own mentor, in both cycles.
    mentees = set(
        Match.objects.filter(
            engagement__mentor__user__email=MENTOR, engagement__cycle=team.cycle
        ).values_list("enrollment__student__user__email", flat=True)
    )
    assert mentees == set(spec.assignments[MENTOR])
    # Published at kick-off: the demo logins see each other on their home pages.
    assert not Match.objects.filter(published_at__isnull=True).exists()
    assert Match.objects.filter(engagement__cycle__program__name=ALUMNI).count() == (
        Enrollment.objects.filter(
            cycle__program__name=ALUMNI, status__in=["matched", "finished"]
        ).count()
    )
    # The demo mentor also coaches in the coaching program.
    assert GroupMembership.objects.filter(
        mentor__user__email=MENTOR, group__cycle__program__name=COACHING
    ).exists()


def test_alumni_next_cycle_is_in_selection_with_both_sides_rankings(demo, client):
    cycle = Cycle.objects.get(program__name=ALUMNI, stage=Stage.SELECTION)
    assert cycle.preference_deadline > timezone.now()
    statuses = set(cycle.engagements.values_list("status", flat=True))
    assert statuses == {"accepted", "invited", "declined"}
    applied = cycle.enrollments.filter(status="applied")
    assert applied.count() > 30 and not Match.objects.filter(enrollment__cycle=cycle).exists()
    limit = cycle.program.preferences_count
    taking = set(cycle.engagements.filter(status="accepted").values_list("pk", flat=True))
    for enrollment in applied.prefetch_related("preferences"):
        ranks = [p.rank for p in enrollment.preferences.all()]
        assert sorted(ranks) == list(range(1, len(ranks) + 1)) and 2 <= len(ranks) <= limit
        assert {p.engagement_id for p in enrollment.preferences.all()} <= taking
    judged = cycle.engagements.filter(mentor_preferences__isnull=False).distinct()
    assert judged.exists() and not judged.filter(mentor__user__email=MENTOR).exists()
    refused = cycle.engagements.filter(mentor_preferences__acceptable=False)
    assert refused.exists()
    # The demo logins have something to do: she can rank, he can judge.
    enrollment = applied.get(student__user__email=STUDENT)
    engagement = cycle.engagements.get(mentor__user__email=MENTOR)
    assert enrollment.preferences.count() == 2
    assert engagement.student_preferences.filter(enrollment=enrollment).exists()
    client.force_login(enrollment.student.user)
    url = reverse("selection_ranking", args=[enrollment.pk])
    assert client.get(url).status_code == 200
    client.force_login(engagement.mentor.user)
    assert client.get(reverse("selection_applicants", args=[engagement.pk])).status_code == 200


def test_coaching_next_cycle_lets_students_choose_groups(demo):
    cycle = Cycle.objects.get(program__name=COACHING, stage=Stage.SELECTION)
    groups = {g.name: g for g in cycle.groups.all()}
    assert sorted(g.capacity for g in groups.values()) == [8, 20, 20]
    assert not GroupMembership.objects.filter(group__cycle=cycle, role="student").exists()
    applied = cycle.enrollments.filter(status="applied")
    assert applied.count() > 40
    for enrollment in applied.prefetch_related("group_preferences"):
        ranks = [p.rank for p in enrollment.group_preferences.all()]
        assert sorted(ranks) == list(range(1, len(ranks) + 1)) and ranks
    # The demo mentor leads next year's financial group and has judged nobody yet.
    led = Group.objects.get(
        cycle=cycle, memberships__role="chief", memberships__mentor__user__email=MENTOR
    )
    assert not led.judgements.exists()
    assert GroupJudgement.objects.filter(group__cycle=cycle, acceptable=False).exists()
    student = applied.get(student__user__email=STUDENT)
    assert list(student.group_preferences.values_list("group", flat=True))[0] == led.pk


def test_recruitment_in_the_demo(demo, client):
    cycle = Cycle.objects.get(program__name=ALUMNI, stage=Stage.SELECTION)
    # Priority comes from the last evaluated cycle, and the window is on record.
    assert cycle.priority_invitations_until is not None
    assert priority_mentor_ids(cycle) == set(
        cycle.engagements.filter(priority=True).values_list("mentor", flat=True)
    )
    assert priority_mentor_ids(cycle)
    # The demo mentor has a contract to answer in the coaching program.
    pending = Engagement.objects.get(
        mentor__user__email=MENTOR, status="invited", cycle__program__name=COACHING
    )
    client.force_login(pending.mentor.user)
    assert client.get(reverse("engagement_contract", args=[pending.pk])).status_code == 200
    # Guests are attached to this year's coaching groups.
    assert Group.objects.filter(cycle__program__name=COACHING, guests__isnull=False).exists()


def test_second_run_changes_nothing(demo):
    before = snapshot()
    output = seed(force=True)
    assert "nothing changed" in output
    assert snapshot() == before


def test_refuses_demo_logins_with_debug_off_unless_forced(db):
    with pytest.raises(CommandError, match="DEBUG is off"):
        seed()
    assert not User.objects.exists()


def test_apps_building_on_mentorship_add_their_demo_after_it(db, monkeypatch, settings):
    from collections import Counter

    from mentorship.demo import extensions

    seen = []

    def seeder(*, plan, now):
        seen.append((len(plan.programs), Cycle.objects.exists()))
        return Counter({Group: 0})

    monkeypatch.setattr(extensions, "_seeders", {})
    extensions.register_demo("test", seeder)
    settings.DEBUG = True
    seed()
    assert seen == [(2, True)]


def test_the_demo_mentor_recommends_opportunities(demo, client):
    from mentorship.models import Opportunity, OpportunityRecipient

    posted = Opportunity.objects.filter(author__user__email=MENTOR)
    assert posted.count() == 3 and posted.filter(group__isnull=False).exists()
    assert not posted.filter(created_at__gt=timezone.now()).exists()
    hers = OpportunityRecipient.objects.filter(enrollment__student__user__email=STUDENT)
    assert set(hers.values_list("status", flat=True)) == {"interested", "new"}
    statuses = set(OpportunityRecipient.objects.values_list("status", flat=True))
    assert {"new", "interested", "applied", "interview", "offer", "declined"} == statuses
    client.force_login(User.objects.get(email=STUDENT))
    page = client.get(reverse("student_opportunities")).content.decode()
    assert "Summer analyst, investment banking" in page
    client.force_login(User.objects.get(email=MENTOR))
    page = client.get(reverse("mentor_opportunities")).content.decode()
    assert "Graduate trainee, audit" in page
