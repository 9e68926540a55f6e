"""Missing evidence the program expects scores 0; a criterion is left out only
where it does not apply, and the review says which; equal totals are ordered
by the documented tie-breaks and still shown as tied."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.evaluation import tie_broken_places
from assessments.models import Moment, Rating, SelfAssessment
from mentorship.models import EnrollmentStatus
from programs.models import CompetenceDimension
from tests import factories as f

from .evaluation_helpers import DAY, compute, evaluating, meeting, score, standing, version

pytestmark = pytest.mark.django_db

KINDS = ("career_plan", "internship_report", "communication_record")


def figures_of(evaluation, code, obj):
    found = score(evaluation, code, obj)
    return found.raw, found.value


def review_page(client, world, cycle):
    client.force_login(world.coordinator)
    page = client.get(
        reverse("admin:assessments_evaluation_cycle", args=[cycle.pk]), {"tab": "students"}
    )
    assert page.status_code == 200
    return page.text


@pytest.fixture
def records(world):
    """Two matched students of the team, alike in deliverables and meetings:
    ``full`` went to the team's activity, acted on nothing recommended and
    rated their competence lower at the end; ``sparse`` has no attendance
    record, no recommendation and no self-assessment. ``outsider`` is in no
    group: no activity was held for them."""
    cycle = evaluating(world.cycle)
    now = timezone.now()
    mentor = world.mentor.mentor_profile
    requirements = [f.RequirementFactory(cycle=cycle, kind_code=kind) for kind in KINDS]
    full = f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.MATCHED)
    sparse = f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.MATCHED)
    outsider = f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.MATCHED)
    for enrollment in (full, sparse):
        f.GroupMembershipFactory(
            group=world.team, mentor=None, student=enrollment.student, role="student"
        )
    for enrollment in (full, sparse, outsider):
        for requirement in requirements:
            version(requirement, enrollment, decision="accepted")
        meeting(cycle, mentor, [enrollment.student], at=now - DAY)
    activity = f.ActivityFactory(
        cycle=cycle, group=world.team, starts_at=now - 3 * DAY, ends_at=now - 2 * DAY
    )
    f.RegistrationFactory(activity=activity, user=full.student.user, attendance="present")
    f.OpportunityRecipientFactory(
        opportunity=f.OpportunityFactory(cycle=cycle, author=mentor), enrollment=full
    )
    dimension = CompetenceDimension.objects.filter(program=world.program).first()
    for moment, level in ((Moment.START, 3), (Moment.END, 2)):
        assessment = SelfAssessment.objects.create(enrollment=full, moment=moment, submitted_at=now)
        Rating.objects.create(self_assessment=assessment, dimension=dimension, level=level)
    return {"cycle": cycle, "full": full, "sparse": sparse, "outsider": outsider}


def test_missing_evidence_scores_zero_and_ranks_below_the_full_record(world, records):
    evaluation = compute(records["cycle"], world.coordinator)
    full, sparse = records["full"], records["sparse"]
    # Expected and missing: 0, not left out.
    assert figures_of(evaluation, "student_attendance", sparse) == (None, 0)
    assert figures_of(evaluation, "student_growth", sparse) == (None, 0)
    # Nothing was recommended to them: acting on recommendations does not apply.
    assert figures_of(evaluation, "student_opportunities", sparse) == (None, None)
    assert figures_of(evaluation, "student_attendance", full) == (1, 100)
    assert standing(evaluation, full).total > standing(evaluation, sparse).total
    assert standing(evaluation, full).rank < standing(evaluation, sparse).rank


def test_attendance_does_not_apply_where_no_activity_was_held_and_the_review_says_so(
    client, world, records
):
    evaluation = compute(records["cycle"], world.coordinator)
    assert figures_of(evaluation, "student_attendance", records["outsider"]) == (None, None)
    text = review_page(client, world, records["cycle"])
    assert "score-case score-left_out" in text and "does not apply: left out" in text
    assert "score-case score-no_evidence" in text and "no evidence: 0" in text


def test_tie_breaks_steering_score_then_the_configured_criterion_then_the_record():
    totals = {1: 50.0, 2: 50.0, 3: 50.0, 4: 60.0, 5: 50.0, 6: None}
    # (steering score, figure of the criterion that breaks ties)
    breakers = {1: (70, 10), 2: (80, 0), 3: (70, 20), 4: (None, None), 5: (None, 90)}
    places, tied = tie_broken_places(totals, breakers)
    assert places == {4: 1, 2: 2, 3: 3, 1: 4, 5: 5, 6: None}
    assert tied == {1: True, 2: True, 3: True, 4: False, 5: True, 6: False}
    # Nothing breaks the tie: the earlier record comes first.
    assert tie_broken_places({9: 5.0, 8: 5.0}, {})[0] == {8: 1, 9: 2}


def test_equal_totals_share_a_rank_are_marked_tied_and_get_places(client, world, records):
    # Two students with no record at all tie exactly.
    bare = [
        f.EnrollmentFactory(cycle=records["cycle"], status=EnrollmentStatus.MATCHED)
        for _ in range(2)
    ]
    evaluation = compute(records["cycle"], world.coordinator)
    first, second = (standing(evaluation, enrollment) for enrollment in bare)
    assert first.total == second.total and first.rank == second.rank
    assert first.tied and second.tied
    # Nothing breaks their tie: the earlier enrollment is placed first.
    assert second.place == first.place + 1
    assert not standing(evaluation, records["full"]).tied
    assert review_page(client, world, records["cycle"]).count('class="standing-tied"') >= 2
