"""``seed_demo``'s bulk mode also makes recommendations in every cycle and
next year's cycle of each benchmark program in two-way selection, within the
rules the services keep: recipients are the author's published mentees or
group, students rank accepted mentors of the cycle within the program's
limit, mentors judge only those who ranked them, and the coordinator's
matching run is a preview."""

import pytest
from django.db.models import Count, F, Q

from mentorship.demo import bulk
from mentorship.models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    GroupMembership,
    Match,
    MatchingRun,
    MentorPreference,
    Opportunity,
    OpportunityRecipient,
    RunStatus,
    StudentPreference,
)
from programs.models import Cycle, Program, Stage

from .test_seed_demo import seed

pytestmark = pytest.mark.django_db
SIZES = ("--students", "120", "--mentors", "24", "--cycles", "3")


@pytest.fixture
def seeded():
    seed(*SIZES)
    return Program.objects.filter(name__in=[bulk.ALUMNI, bulk.COACHING])


def test_every_tracked_cycle_has_recommendations_to_the_authors_students(seeded):
    for cycle in Cycle.objects.filter(program__in=seeded).exclude(stage=Stage.SELECTION):
        opportunities = Opportunity.objects.filter(cycle=cycle)
        assert opportunities.filter(group__isnull=True).exists()
        assert opportunities.filter(group__isnull=False).exists()
        assert OpportunityRecipient.objects.filter(opportunity__cycle=cycle).exists()
        assert not opportunities.filter(
            created_at__lt=cycle.transitions.get(to_stage="kick_off").at
        ).exists()
    for recipient in OpportunityRecipient.objects.select_related("opportunity", "enrollment"):
        opportunity, enrollment = recipient.opportunity, recipient.enrollment
        assert enrollment.cycle_id == opportunity.cycle_id
        if opportunity.group_id is None:
            match = Match.objects.get(enrollment=enrollment)
            assert match.engagement.mentor_id == opportunity.author_id
            assert match.published_at is not None
        else:
            members = GroupMembership.objects.filter(group=opportunity.group_id)
            assert members.filter(student=enrollment.student_id).exists()
            assert members.filter(mentor=opportunity.author_id, role="chief").exists()


def test_next_years_cycles_are_in_selection_with_both_sides_preferences(seeded):
    selecting = Cycle.objects.filter(program__in=seeded, stage=Stage.SELECTION)
    assert selecting.count() == 2
    for cycle in selecting:
        running = Cycle.objects.get(program=cycle.program, stage=Stage.TRACKING)
        assert cycle.starts_on.year == running.starts_on.year + 1
        assert cycle.preference_deadline > cycle.stage_changed_at
        applicants = Enrollment.objects.filter(cycle=cycle)
        assert applicants.count() == Enrollment.objects.filter(cycle=running).count()
        assert not applicants.exclude(status=EnrollmentStatus.APPLIED).exists()
        assert not Match.objects.filter(enrollment__cycle=cycle).exists()
        engagements = Engagement.objects.filter(cycle=cycle)
        assert {EngagementStatus.ACCEPTED, EngagementStatus.INVITED} <= set(
            engagements.values_list("status", flat=True)
        )
        ranked = StudentPreference.objects.filter(enrollment__cycle=cycle)
        assert ranked.values("enrollment").distinct().count() > applicants.count() // 2
        assert not ranked.exclude(engagement__cycle=cycle).exists()
        assert not ranked.exclude(engagement__status=EngagementStatus.ACCEPTED).exists()
        longest = ranked.values("enrollment").annotate(n=Count("pk")).order_by("-n")[0]["n"]
        assert longest <= cycle.program.preferences_count
        judged = MentorPreference.objects.filter(engagement__cycle=cycle)
        assert judged.exists() and judged.filter(acceptable=False, rank__isnull=True).exists()
        # A mentor judges only the students who ranked them.
        assert not judged.exclude(enrollment__preferences__engagement=F("engagement")).exists()
        run = MatchingRun.objects.get(cycle=cycle)
        assert run.status == RunStatus.PREVIEW and run.matched_count > 0
        assert run.students_count == applicants.count()


def test_matching_run_only_places_within_capacity(seeded):
    for run in MatchingRun.objects.filter(cycle__program__in=seeded):
        capacity = dict(Engagement.objects.filter(cycle=run.cycle).values_list("pk", "capacity"))
        for engagement, load in run.result["load"].items():
            assert load <= capacity[int(engagement)]
    assert not Engagement.objects.filter(
        Q(cycle__stage=Stage.SELECTION), ~Q(contract_start=F("cycle__starts_on"))
    ).exists()
