"""Admin changelists cost the same number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import Match, MentorPreference, StudentPreference
from tests import factories as f

pytestmark = pytest.mark.django_db


def grow(world, size):
    """Add ``size`` rows to every changelist under test, in program A and in B."""
    for program, cycle in ((world.program, world.cycle), (world.other_program, world.other_cycle)):
        group = f.GroupFactory(cycle=cycle)
        for _ in range(size):
            mentor = f.MentorProfileFactory()
            student = f.StudentProfileFactory()
            f.RosterEntryFactory(program=program, user=mentor.user, role="mentor")
            f.RosterEntryFactory(program=program, user=student.user, role="student")
            f.StaffRoleFactory(user=f.UserFactory(), program=program, role="steering")
            engagement = f.EngagementFactory(mentor=mentor, cycle=cycle)
            enrollment = f.EnrollmentFactory(student=student, cycle=cycle)
            StudentPreference.objects.create(enrollment=enrollment, engagement=engagement, rank=1)
            MentorPreference.objects.create(engagement=engagement, enrollment=enrollment, rank=1)
            Match.objects.create(
                enrollment=enrollment,
                engagement=engagement,
                source="manual",
                reason="Placed by hand",
                created_by=world.coordinator,
            )
            f.MatchingRunFactory(cycle=cycle, created_by=world.coordinator)
            f.GroupMembershipFactory(group=group, mentor=mentor, role="coach")
            f.GroupMembershipFactory(group=group, mentor=None, student=student, role="student")
            f.GroupFactory(cycle=cycle)
            f.GuestFactory(program=program)
            f.CycleFactory(program=program)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


CHANGELISTS = [
    "mentorship_engagement",
    "mentorship_enrollment",
    "mentorship_group",
    "mentorship_groupmembership",
    "mentorship_mentorprofile",
    "mentorship_studentprofile",
    "mentorship_user",
    "mentorship_staffrole",
    "mentorship_rosterentry",
    "mentorship_guest",
    "mentorship_matchingrun",
    "mentorship_match",
    "mentorship_studentpreference",
    "mentorship_mentorpreference",
    "programs_cycle",
    "programs_program",
]


@pytest.mark.parametrize("changelist", CHANGELISTS)
@pytest.mark.parametrize("persona", ["coordinator", "superuser"])
def test_changelist_query_count_does_not_grow(client, world, changelist, persona):
    if persona == "superuser":
        user = f.UserFactory(email="root@example.test", is_staff=True, is_superuser=True)
    else:
        user = world.coordinator
    client.force_login(user)
    url = reverse(f"admin:{changelist}_changelist")
    grow(world, 2)
    count_queries(client, url)  # warms per-process caches (content types, sites)
    small = count_queries(client, url)
    grow(world, 6)
    large = count_queries(client, url)
    assert small == large


def _members(group, size):
    for _ in range(size):
        f.GroupMembershipFactory(group=group, role="coach")
        student = f.StudentProfileFactory()
        f.EnrollmentFactory(student=student, cycle=group.cycle)
        f.GroupMembershipFactory(group=group, mentor=None, student=student, role="student")


@pytest.mark.parametrize("persona", ["coordinator", "superuser"])
def test_group_change_form_queries_do_not_grow_with_members(client, world, persona):
    if persona == "superuser":
        user = f.UserFactory(email="root@example.test", is_staff=True, is_superuser=True)
    else:
        user = world.coordinator
    client.force_login(user)
    url = reverse("admin:mentorship_group_change", args=[world.team.pk])
    _members(world.team, 3)
    count_queries(client, url)  # warms per-process caches (content types, sites)
    small = count_queries(client, url)
    _members(world.team, 27)
    large = count_queries(client, url)
    assert small == large


@pytest.mark.parametrize(
    "model_name",
    ["engagement", "enrollment", "groupmembership", "match", "user", "studentprofile"],
)
def test_big_changelists_page_along_an_index_without_a_full_count(model_name):
    """A page stops an index walk; no total of all rows beside a filter."""
    from django.apps import apps
    from django.contrib import admin

    model = apps.get_model("mentorship", model_name)
    model_admin = admin.site.get_model_admin(model)
    assert model_admin.show_full_result_count is False
    ordering = list(model_admin.ordering or model._meta.ordering)
    if ordering == ["-pk"]:
        return
    # Ordered by the person's name: the people table has an index in that order.
    people = apps.get_model("mentorship", "user")
    prefix = "" if model is people else "user__"
    assert ordering == [f"{prefix}full_name", f"{prefix}email"][: len(ordering)]
    assert any(index.fields == ["full_name", "email"] for index in people._meta.indexes)


def test_the_year_of_study_filter_offers_every_allowed_year_without_reading_them(client, world):
    seventh = f.StudentProfileFactory(year=7, user__full_name="Sev Seventh")
    f.RosterEntryFactory(program=world.program, user=seventh.user, role="student")
    client.force_login(world.coordinator)
    url = reverse("admin:mentorship_studentprofile_changelist")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert not any("DISTINCT" in q["sql"] and '"year"' in q["sql"] for q in queries)
    assert all(f"?year={year}" in page for year in range(1, 11))
    shown = client.get(url, {"year": "7"}).context["cl"].result_list
    assert seventh in shown and {student.year for student in shown} == {7}
    # A year the database refuses is not offered: the list shows everyone.
    everyone = list(client.get(url).context["cl"].result_list)
    assert len(everyone) > 1
    assert list(client.get(url, {"year": "11"}).context["cl"].result_list) == everyone


def test_rows_carry_django_s_action_checkbox(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("admin:mentorship_engagement_changelist")).content.decode()
    engagement = world.mentor.mentor_profile.engagements.get(cycle=world.cycle)
    assert (
        f'<input type="checkbox" name="_selected_action" value="{engagement.pk}" '
        f'class="action-select" aria-label="Select this object for an action - {engagement}">'
    ) in page
