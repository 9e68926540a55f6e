"""Each computed measure on small hand-made records, the judged figure,
shared ranks, and the totals the weights give."""

import pytest
from django.utils import timezone

from assessments.evaluation import shared_ranks, trimmed_mean, weighted_total
from assessments.evaluation_sources import spread_window
from assessments.models import Moment, Rating, SelfAssessment
from mentorship.models import Engagement, Enrollment, EnrollmentStatus
from programs.models import CompetenceDimension, ReminderPolicy
from tests import factories as f

from .evaluation_helpers import (
    DAY,
    compute,
    evaluating,
    judge,
    meeting,
    rate_mentor,
    score,
    standing,
    version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ev(world, mentee):
    """The world's cycle in evaluation; the student persona is the mentor persona's mentee."""
    cycle = evaluating(world.cycle)
    return {
        "cycle": cycle,
        "enrollment": mentee,
        "engagement": Engagement.objects.get(mentor__user=world.mentor, cycle=cycle),
        "other": f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.MATCHED),
    }


def figures(evaluation, code, obj):
    row = score(evaluation, code, obj)
    return row.raw, row.value


def test_deliverables_count_required_ones_on_time_and_accepted(world, ev):
    cycle, enrollment = ev["cycle"], ev["enrollment"]
    plan = f.RequirementFactory(cycle=cycle, kind_code="career_plan")
    report = f.RequirementFactory(cycle=cycle, kind_code="internship_report")
    record = f.RequirementFactory(cycle=cycle, kind_code="communication_record")
    version(plan, enrollment, decision="returned")
    version(plan, enrollment, number=2, decision="accepted")
    version(report, enrollment, late=True, decision="accepted")
    version(record, enrollment, decision="comment")
    evaluation = compute(cycle, world.coordinator)
    raw, value = figures(evaluation, "student_deliverables", enrollment)
    assert raw == pytest.approx(1 / 3)
    assert value == pytest.approx(100 / 3)
    assert figures(evaluation, "student_deliverables", ev["other"]) == (0, 0)


def test_no_required_deliverable_is_no_evidence(world, ev):
    evaluation = compute(ev["cycle"], world.coordinator)
    assert figures(evaluation, "student_deliverables", ev["enrollment"]) == (None, None)


def test_meetings_count_confirmed_ones_relative_to_the_most(world, ev):
    cycle, mentor = ev["cycle"], world.mentor.mentor_profile
    student, other = ev["enrollment"].student, ev["other"].student
    meeting(cycle, mentor, [student, other])
    meeting(cycle, mentor, [student])
    meeting(cycle, mentor, [other], status="pending")
    meeting(cycle, mentor, [other], status="disputed")
    evaluation = compute(cycle, world.coordinator)
    assert figures(evaluation, "student_meetings", ev["enrollment"]) == (2, 100)
    assert figures(evaluation, "student_meetings", ev["other"]) == (1, 50)
    # Confirmed meetings with a mentor count once, whoever else was there.
    assert figures(evaluation, "mentor_meetings", ev["engagement"]) == (2, 100)


def test_without_any_meeting_everyone_scores_zero(world, ev):
    """Meetings are expected: nobody having one is no reason to leave them out."""
    evaluation = compute(ev["cycle"], world.coordinator)
    assert figures(evaluation, "student_meetings", ev["enrollment"]) == (0, 0)


def test_spread_is_the_share_of_months_with_a_confirmed_meeting(world, ev):
    cycle, mentor, student = ev["cycle"], world.mentor.mentor_profile, ev["enrollment"].student
    now = timezone.now()
    meeting(cycle, mentor, [student], at=now - DAY)
    meeting(cycle, mentor, [student], at=now - 2 * DAY)
    meeting(cycle, mentor, [student], at=now - 40 * DAY)
    meeting(cycle, mentor, [student], at=now - 200 * DAY)  # before the cycle
    evaluation = compute(cycle, world.coordinator)
    months = spread_window(cycle, evaluation.computed_at)[2]
    assert months >= 3
    assert figures(evaluation, "student_spread", ev["enrollment"]) == (
        2,
        pytest.approx(200 / months),
    )
    assert figures(evaluation, "student_spread", ev["other"]) == (0, 0)


def test_attendance_is_present_over_going_where_attendance_was_taken(world, ev):
    cycle, user = ev["cycle"], world.student
    past = {"starts_at": timezone.now() - 3 * DAY, "ends_at": timezone.now() - 2 * DAY}
    for mark in ("present", "absent", "excused", ""):  # "": attendance not taken
        f.RegistrationFactory(
            activity=f.ActivityFactory(cycle=cycle, **past), user=user, attendance=mark
        )
    declined = f.ActivityFactory(cycle=cycle, **past)
    f.RegistrationFactory(activity=declined, user=user, status="declined", attendance="absent")
    f.RegistrationFactory(activity=f.ActivityFactory(cycle=cycle), user=user)  # next week
    evaluation = compute(cycle, world.coordinator)
    # present / (present + absent): the excused, the untaken and the future do not count.
    assert figures(evaluation, "student_attendance", ev["enrollment"]) == (0.5, 50)
    assert figures(evaluation, "student_attendance", ev["other"]) == (None, None)


def test_recommendations_acted_on(world, ev):
    cycle = ev["cycle"]
    for status in ("new", "applied", "declined"):
        opportunity = f.OpportunityFactory(cycle=cycle, author=world.mentor.mentor_profile)
        f.OpportunityRecipientFactory(
            opportunity=opportunity, enrollment=ev["enrollment"], status=status
        )
    evaluation = compute(cycle, world.coordinator)
    raw, value = figures(evaluation, "student_opportunities", ev["enrollment"])
    assert (raw, value) == (pytest.approx(2 / 3), pytest.approx(200 / 3))
    assert figures(evaluation, "student_opportunities", ev["other"]) == (None, None)


def assess(enrollment, moment, levels):
    assessment = SelfAssessment.objects.create(
        enrollment=enrollment, moment=moment, submitted_at=timezone.now()
    )
    for dimension, level in levels.items():
        Rating.objects.create(self_assessment=assessment, dimension=dimension, level=level)


def test_growth_is_the_mean_change_over_paired_dimensions(world, ev):
    first, second, third = CompetenceDimension.objects.filter(program=world.program)[:3]
    assess(ev["enrollment"], Moment.START, {first: 2, second: 3, third: 4})
    assess(ev["enrollment"], Moment.END, {first: 4, second: 3})
    assess(ev["other"], Moment.END, {first: 1})
    evaluation = compute(ev["cycle"], world.coordinator)
    assert figures(evaluation, "student_growth", ev["enrollment"]) == (1, 62.5)
    # The program measures competence: no pair of self-assessments scores 0.
    assert figures(evaluation, "student_growth", ev["other"]) == (None, 0)


def test_growth_does_not_apply_without_competence_dimensions(world, ev):
    CompetenceDimension.objects.filter(program=world.program).delete()
    evaluation = compute(ev["cycle"], world.coordinator)
    assert figures(evaluation, "student_growth", ev["other"]) == (None, None)


def test_reviews_on_time_count_versions_whose_review_time_is_up(world, ev):
    cycle, enrollment = ev["cycle"], ev["enrollment"]
    plan = f.RequirementFactory(cycle=cycle, kind_code="career_plan")
    ago = timezone.now() - 20 * DAY
    version(plan, enrollment, number=1, at=ago, decision="returned", reviewed_after=3 * DAY)
    version(plan, enrollment, number=2, at=ago, decision="comment", reviewed_after=10 * DAY)
    version(plan, enrollment, number=3, at=timezone.now() - 15 * DAY)
    version(plan, enrollment, number=4, at=timezone.now() - DAY)  # still within 7 days
    evaluation = compute(cycle, world.coordinator)
    raw, value = figures(evaluation, "mentor_reviews", ev["engagement"])
    assert (raw, value) == (pytest.approx(1 / 3), pytest.approx(100 / 3))
    # The program's own wait counts: within 12 days the second review is on time.
    ReminderPolicy.objects.update_or_create(
        program=cycle.program, defaults={"review_waiting_days": 12}
    )
    evaluation = compute(cycle, world.coordinator)
    raw, value = figures(evaluation, "mentor_reviews", ev["engagement"])
    assert (raw, value) == (pytest.approx(2 / 3), pytest.approx(200 / 3))


def test_satisfaction_counts_answers_about_the_mentor(world, ev):
    cycle = ev["cycle"]
    second = f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.MATCHED)
    f.MatchFactory(enrollment=second, engagement=ev["engagement"], published_at=timezone.now())
    rate_mentor(cycle, ev["enrollment"], 5, overall=1)
    rate_mentor(cycle, second, 3, overall=5)
    rate_mentor(cycle, ev["other"], 5)  # not a mentee of anyone
    evaluation = compute(cycle, world.coordinator)
    assert figures(evaluation, "mentor_satisfaction", ev["engagement"]) == (0.5, 50)


def test_results_are_the_mean_of_their_people_s_totals(world, ev):
    cycle = ev["cycle"]
    second = f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.MATCHED)
    f.MatchFactory(enrollment=second, engagement=ev["engagement"], published_at=timezone.now())
    evaluation = compute(cycle, world.coordinator)
    judge(evaluation, "student_judged", ev["enrollment"], world.steering, 8)
    judge(evaluation, "student_judged", second, world.steering, 4)
    evaluation = compute(cycle, world.coordinator)
    first_total = standing(evaluation, ev["enrollment"]).total
    second_total = standing(evaluation, second).total
    assert first_total > second_total
    mentor_raw, _value = figures(evaluation, "mentor_results", ev["engagement"])
    assert mentor_raw == pytest.approx((first_total + second_total) / 2)
    # The team has the student persona only.
    assert figures(evaluation, "group_results", world.team) == (first_total, first_total)


def test_group_activities_organised_or_invited_to(world, ev):
    cycle, team = ev["cycle"], world.team
    rival = f.GroupFactory(cycle=cycle, name="Rival team")
    past = {"starts_at": timezone.now() - 3 * DAY, "ends_at": timezone.now() - 2 * DAY}
    f.ActivityFactory(cycle=cycle, group=team, **past)
    invited = f.ActivityFactory(cycle=cycle, group=rival, **past)
    f.ActivityInvitationFactory(activity=invited, group=team)
    f.ActivityFactory(cycle=cycle, group=team)  # next week
    evaluation = compute(cycle, world.coordinator)
    assert figures(evaluation, "group_activities", team) == (2, 100)
    assert figures(evaluation, "group_activities", rival) == (1, 50)


def test_judged_is_the_mean_trimmed_from_three_judges(world, ev):
    cycle = ev["cycle"]
    judges = [world.steering, *(f.UserFactory() for _ in range(3))]
    evaluation = compute(cycle, world.coordinator)
    for person, value in zip(judges, (1, 6, 8, 10), strict=True):
        judge(evaluation, "student_judged", ev["enrollment"], person, value)
    for person, value in zip(judges, (3, 6), strict=False):
        judge(evaluation, "student_judged", ev["other"], person, value)
    judge(evaluation, "mentor_judged", ev["engagement"], world.steering, 9)
    evaluation = compute(cycle, world.coordinator)
    assert figures(evaluation, "student_judged", ev["enrollment"]) == (7, 70)
    assert figures(evaluation, "student_judged", ev["other"]) == (4.5, 45)
    assert figures(evaluation, "mentor_judged", ev["engagement"]) == (9, 90)


def test_trimmed_mean():
    assert trimmed_mean([]) is None
    assert trimmed_mean([7]) == 7
    assert trimmed_mean([2, 9]) == 5.5
    assert trimmed_mean([2, 5, 9]) == 5
    assert trimmed_mean([10, 10, 1, 1]) == 5.5


def test_ties_share_a_rank_and_the_next_skips():
    assert shared_ranks({"a": 80, "b": 80, "c": 60, "d": None, "e": 90}) == {
        "e": 1,
        "a": 2,
        "b": 2,
        "c": 4,
        "d": None,
    }
    assert shared_ranks({"a": 1 / 3 * 3, "b": 1.0}) == {"a": 1, "b": 1}


def test_weighted_total_leaves_out_criteria_without_a_value():
    assert weighted_total([(30, 100), (10, None), (10, 0)]) == 75
    assert weighted_total([(30, None)]) is None


def test_tied_students_share_a_rank_in_the_standings(world, ev):
    cycle = ev["cycle"]
    third = f.EnrollmentFactory(cycle=cycle, status=EnrollmentStatus.MATCHED)
    evaluation = compute(cycle, world.coordinator)
    for enrollment, value in ((ev["enrollment"], 8), (ev["other"], 8), (third, 5)):
        judge(evaluation, "student_judged", enrollment, world.steering, value)
    evaluation = compute(cycle, world.coordinator)
    ranks = [standing(evaluation, e).rank for e in (ev["enrollment"], ev["other"], third)]
    assert ranks == [1, 1, 3]
    assert Enrollment.objects.filter(cycle=cycle).count() == 3
