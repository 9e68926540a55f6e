"""Opportunity pages, the homes' new sections and their admin cost a fixed
number of queries; the admin is scoped to the coordinator's programs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.competence import save_self_assessment
from assessments.models import LevelDescriptor, MentorRating
from mentorship.models import Opportunity
from programs.models import CompetenceDimension, Stage
from tests import factories as f
from tests.mentorship.test_home_queries import count_queries

pytestmark = pytest.mark.django_db


def grow(world, size):
    """``size`` more cycles with a match, opportunities both ways and assessments."""
    mentor = world.mentor.mentor_profile
    student = world.student.student_profile
    dimensions = list(CompetenceDimension.objects.filter(program=world.program))
    for i in range(size):
        cycle = f.CycleFactory(program=world.program, name=f"o-{size}-{i}", stage=Stage.TRACKING)
        enrollment = f.EnrollmentFactory(student=student, cycle=cycle)
        engagement = f.EngagementFactory(mentor=mentor, cycle=cycle)
        f.MatchFactory(enrollment=enrollment, engagement=engagement, published_at=timezone.now())
        group = f.GroupFactory(cycle=cycle)
        opportunity = f.OpportunityFactory(cycle=cycle, author=mentor, group=group)
        f.OpportunityRecipientFactory(opportunity=opportunity, enrollment=enrollment)
        f.OpportunityRecipientFactory(opportunity=opportunity, status="applied")
        other = f.OpportunityFactory(cycle=cycle)
        f.OpportunityRecipientFactory(opportunity=other, enrollment=enrollment, status="offer")
        save_self_assessment(
            enrollment=enrollment, moment="start", levels={d.pk: (2, "") for d in dimensions}
        )
        MentorRating.objects.create(
            enrollment=enrollment, dimension=dimensions[0], moment="start", level=3, by=mentor
        )
        LevelDescriptor.objects.get_or_create(
            dimension=dimensions[0], level=i % 5 + 1, defaults={"text": f"text {i}"}
        )
        # Another program's rows, for the admin scoping.
        f.OpportunityRecipientFactory(opportunity__cycle=world.other_cycle)


@pytest.mark.parametrize(
    "persona, url_name",
    [
        ("mentor", "mentor_home"),
        ("student", "student_home"),
        ("mentor", "mentor_opportunities"),
        ("mentor", "opportunity_create"),
        ("student", "student_opportunities"),
        ("student", "competence_student"),
    ],
)
def test_pages_query_count_does_not_grow(client, world, persona, url_name):
    client.force_login(getattr(world, persona))
    url = reverse(url_name)
    grow(world, 1)
    small = count_queries(client, url)
    grow(world, 6)
    assert count_queries(client, url) == small


def test_detail_query_count_does_not_grow(client, world):
    opportunity = f.OpportunityFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    f.OpportunityRecipientFactory(opportunity=opportunity)
    url = reverse("opportunity_detail", args=[opportunity.pk])
    client.force_login(world.mentor)
    small = count_queries(client, url)
    for _ in range(6):
        f.OpportunityRecipientFactory(opportunity=opportunity, status="interview")
    assert count_queries(client, url) == small


CHANGELISTS = [
    "mentorship_opportunity",
    "assessments_selfassessment",
    "assessments_mentorrating",
    "assessments_leveldescriptor",
]


@pytest.mark.parametrize(
    "changelist, persona",
    [(changelist, "coordinator") for changelist in CHANGELISTS]
    # Descriptors are the office's wording, not evidence steering looks at.
    + [(changelist, "steering") for changelist in CHANGELISTS[:3]],
)
def test_admin_changelists(client, world, changelist, persona):
    client.force_login(getattr(world, persona))
    url = reverse(f"admin:{changelist}_changelist")
    grow(world, 1)
    count_queries(client, url)  # warms per-process caches
    small = count_queries(client, url)
    grow(world, 5)
    response = client.get(url)
    assert response.status_code == 200
    assert count_queries(client, url) == small
    shown = response.context["cl"].result_list
    for row in shown:
        assert row.pk  # every row is of program A
    if changelist == "mentorship_opportunity":
        assert {o.cycle.program_id for o in shown} == {world.program.pk}


def test_admin_opportunity_scoping(client, world):
    grow(world, 1)
    own = Opportunity.objects.filter(cycle__program=world.program).first()
    foreign = Opportunity.objects.filter(cycle__program=world.other_program).first()
    change = "admin:mentorship_opportunity_change"
    client.force_login(world.coordinator)
    assert client.get(reverse(change, args=[own.pk])).status_code == 200
    response = client.get(reverse(change, args=[foreign.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    response = client.post(
        reverse(change, args=[own.pk]),
        {
            "kind": "job",
            "organisation": own.organisation,
            "role": "Corrected role",
            "link": own.link,
            "note": "",
            "recipients-TOTAL_FORMS": "0",
            "recipients-INITIAL_FORMS": "0",
        },
    )
    own.refresh_from_db()
    assert own.role == "Corrected role"
    # Steering looks but changes nothing.
    client.force_login(world.steering)
    assert client.get(reverse(change, args=[own.pk])).status_code == 200
    response = client.post(reverse(change, args=[own.pk]), {"role": "Steered"})
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.role == "Corrected role"
    assert client.get(reverse("admin:mentorship_opportunity_add")).status_code == 403
