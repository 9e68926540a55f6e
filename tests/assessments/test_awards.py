"""Awards: quotas and ties, decisions with reasons, publication, priority in
the next cycle, and the stage rules."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.awards import (
    AwardError,
    add_award,
    decide_award,
    proposal,
    propose_awards,
    publish_awards,
    quota_of,
)
from assessments.models import Award, AwardDecision, EvaluationStatus, Standing
from mentorship.models import Engagement, Notification
from mentorship.recruitment import priority_mentor_ids
from programs.models import AwardCategory, Cycle, Stage
from tests import factories as f

from .awards_setup import category, rewarding, stand, students

pytestmark = pytest.mark.django_db

CONFIRM, DECLINE = AwardDecision.CONFIRMED, AwardDecision.DECLINED


@pytest.fixture
def aw(world):
    return rewarding(world)


def _awards(aw, category):
    return {
        award.subject_id: award
        for award in Award.objects.filter(evaluation=aw.evaluation, category=category)
    }


@pytest.mark.parametrize(
    "quota, percent, evaluated, expected",
    [
        (3, None, 10, 3),
        (None, 25, 10, 2),  # 2.5 rounds down
        (None, 5, 10, 1),  # at least one when anyone was evaluated
        (None, 50, 0, 0),
        (None, None, 10, None),  # no quota: nobody is proposed
    ],
)
def test_quota_is_a_number_or_a_share(quota, percent, evaluated, expected):
    category = AwardCategory(quota=quota, quota_percent=percent)
    assert quota_of(category, evaluated) == expected


def test_the_quota_holds_and_a_tie_across_its_edge_is_marked():
    # In place order: b and c share rank 2, their tie already broken.
    ranked = [("a", 1), ("b", 2), ("c", 2), ("d", 4)]
    assert proposal(ranked, 2) == [("a", False), ("b", True)]
    assert proposal(ranked, 3) == [("a", False), ("b", False), ("c", False)]
    assert proposal(ranked, 10) == [("a", False), ("b", False), ("c", False), ("d", False)]
    assert proposal([("a", 1), ("b", 1)], 1) == [("a", True)]
    assert proposal(ranked, 0) == []


def test_propose_by_number_keeps_to_the_quota_by_place(world, aw):
    second, third, third_too, fifth = students(aw.evaluation, [2, 3, 3, 5])
    # The tie-breaks put the later enrollment first.
    for place, enrollment in enumerate((aw.enrollment, second, third_too, third, fifth), 1):
        Standing.objects.filter(enrollment=enrollment).update(place=place)
    top = category(world, "outstanding_student", quota=3)
    assert propose_awards(evaluation=aw.evaluation, by=world.coordinator) == 3
    proposed = _awards(aw, top)
    assert set(proposed) == {aw.enrollment.pk, second.pk, third_too.pk}
    assert {pk for pk, award in proposed.items() if award.tied} == {third_too.pk}
    assert all(a.proposed and a.decision == AwardDecision.PENDING for a in proposed.values())


def test_propose_by_share_and_no_quota_proposes_nobody(world, aw):
    students(aw.evaluation, [2, 3, 4, 5, 6, 7, 8, 9])  # nine students in all
    top = category(world, "outstanding_student", quota_percent=20)
    propose_awards(evaluation=aw.evaluation, by=world.steering)
    assert set(_awards(aw, top)) == {aw.enrollment.pk}  # 20% of 9 = 1.8 → 1
    assert not _awards(aw, aw.mentor_award)  # the default categories have no quota


def test_re_proposing_replaces_only_what_is_undecided(world, aw):
    second, third, fourth = students(aw.evaluation, [2, 3, 4])
    top = category(world, "outstanding_student", quota=3)
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    rows = _awards(aw, top)
    decide_award(award=rows[aw.enrollment.pk], decision=CONFIRM, citation="Top", by=world.steering)
    decide_award(award=rows[second.pk], decision=DECLINE, reason="Left early", by=world.steering)
    AwardCategory.objects.filter(pk=top.pk).update(quota=4)
    assert propose_awards(evaluation=aw.evaluation, by=world.coordinator) == 2
    rows = _awards(aw, top)
    assert set(rows) == {aw.enrollment.pk, second.pk, third.pk, fourth.pk}
    assert rows[aw.enrollment.pk].citation == "Top"
    assert rows[second.pk].decision == DECLINE and rows[second.pk].reason == "Left early"
    assert rows[third.pk].decision == AwardDecision.PENDING


def test_declining_a_proposal_needs_a_reason_confirming_does_not(world, aw):
    top = category(world, "outstanding_student", quota=1)
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    award = Award.objects.get(evaluation=aw.evaluation, category=top)
    with pytest.raises(AwardError) as refused:
        decide_award(award=award, decision=DECLINE, reason="  ", by=world.steering)
    assert refused.value.field == "reason"
    assert "Say why the steering group departs from the proposal." in str(refused.value)
    decided = decide_award(award=award, decision=CONFIRM, citation="Best", by=world.steering)
    assert decided.decided_by == world.steering and decided.reason == ""


def test_adding_someone_not_proposed_needs_a_reason(world, aw):
    (second,) = students(aw.evaluation, [2])
    top = category(world, "outstanding_student", quota=1)
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    add = {"evaluation": aw.evaluation, "category": top, "by": world.steering}
    with pytest.raises(AwardError) as refused:
        add_award(subject_id=second.pk, reason="", **add)
    assert refused.value.field == "reason"
    added = add_award(subject_id=second.pk, reason="Led the case study", **add)
    assert not added.proposed and added.decision == CONFIRM
    with pytest.raises(AwardError, match="Already a candidate"):
        add_award(subject_id=second.pk, reason="Twice", **add)
    outsider = f.EnrollmentFactory(cycle=aw.evaluation.cycle)  # not evaluated
    with pytest.raises(AwardError, match="evaluated"):
        add_award(subject_id=outsider.pk, reason="Kind", **add)


def test_only_steering_decides_and_only_coordinators_publish(world, aw):
    category(world, "outstanding_student", quota=1)
    propose_awards(evaluation=aw.evaluation, by=world.steering)
    award = Award.objects.get(evaluation=aw.evaluation)
    with pytest.raises(AwardError, match="steering"):
        decide_award(award=award, decision=CONFIRM, by=world.coordinator)
    decide_award(award=award, decision=CONFIRM, by=world.steering)
    with pytest.raises(AwardError, match="coordinators"):
        publish_awards(evaluation=aw.evaluation, by=world.steering)
    with pytest.raises(AwardError):
        propose_awards(evaluation=aw.evaluation, by=world.other_coordinator)


def _decide_all(aw, by):
    for award in Award.objects.filter(evaluation=aw.evaluation, decision="pending"):
        decide_award(award=award, decision=CONFIRM, citation="Well done", by=by)


def test_publish_notifies_every_recipient_and_marks_priority(world, aw):
    for code in ("outstanding_student", "excellent_mentor", "outstanding_group"):
        category(world, code, quota=1)
    coach = f.GroupMembershipFactory(group=world.team, role="coach").mentor.user
    waiting = f.GroupPlacementFactory(group=world.team).student.user  # not published
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    with pytest.raises(AwardError, match="still to be decided"):
        publish_awards(evaluation=aw.evaluation, by=world.coordinator)
    _decide_all(aw, world.steering)
    assert publish_awards(evaluation=aw.evaluation, by=world.coordinator) == 3
    assert not Award.objects.filter(evaluation=aw.evaluation, published_at__isnull=True).exists()
    ledger = Notification.objects.filter(kind="award_published")
    received = sorted(ledger.values_list("recipient", "subject_key"))
    group_key = f"assessments.award:{_awards(aw, aw.group_award)[world.team.pk].pk}"
    assert (world.student.pk, group_key) in received and (coach.pk, group_key) in received
    assert (world.mentor.pk, group_key) in received  # the team's chief coach
    assert waiting.pk not in {recipient for recipient, _key in received}
    assert len(received) == 1 + 1 + 3  # student, mentor, the team's three members
    assert ledger.filter(sent_at__isnull=True).count() == len(received)  # the digest mails them
    assert Engagement.objects.get(pk=aw.engagement.pk).rated_excellent
    next_cycle = f.CycleFactory(
        program=world.program,
        name="2027-2028",
        starts_on=world.cycle.starts_on + datetime.timedelta(days=365),
        ends_on=world.cycle.ends_on + datetime.timedelta(days=365),
    )
    assert world.mentor.mentor_profile.pk in priority_mentor_ids(next_cycle)


def test_publishing_again_publishes_only_what_is_new(world, aw):
    (second,) = students(aw.evaluation, [2])
    top = category(world, "outstanding_student", quota=1)
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    _decide_all(aw, world.steering)
    publish_awards(evaluation=aw.evaluation, by=world.coordinator)
    first = Award.objects.get(evaluation=aw.evaluation, category=top)
    assert publish_awards(evaluation=aw.evaluation, by=world.coordinator) == 0
    add = {"evaluation": aw.evaluation, "category": top, "by": world.steering}
    add_award(subject_id=second.pk, reason="Shares the rank", **add)
    assert publish_awards(evaluation=aw.evaluation, by=world.coordinator) == 1
    assert Award.objects.get(pk=first.pk).published_at == first.published_at
    assert Notification.objects.filter(kind="award_published").count() == 2


def test_publishing_a_group_award_takes_the_same_queries_whatever_its_size(world, aw):
    group_award = category(world, "outstanding_group", quota=1)
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    _decide_all(aw, world.steering)

    def publish(group, coaches):
        f.GroupMembershipFactory.create_batch(coaches, group=group)
        with CaptureQueriesContext(connection) as queries:
            assert publish_awards(evaluation=aw.evaluation, by=world.coordinator) == 1
        return len(queries)

    small = publish(world.team, 1)
    second = f.GroupFactory(cycle=world.cycle)
    stand(aw.evaluation, second, 2, 70.0)
    add = {"evaluation": aw.evaluation, "category": group_award, "by": world.steering}
    add_award(subject_id=second.pk, reason="A close second", **add)
    assert publish(second, 8) == small
    # the team: its chief coach, its student and the coach added here
    assert Notification.objects.filter(kind="award_published").count() == 3 + 8


def test_a_published_award_stays_confirmed_with_its_citation(world, aw):
    category(world, "outstanding_student", quota=1)
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    _decide_all(aw, world.steering)
    publish_awards(evaluation=aw.evaluation, by=world.coordinator)
    award = Award.objects.get(evaluation=aw.evaluation)
    with pytest.raises(AwardError, match="can no longer be declined"):
        decide_award(award=award, decision=DECLINE, reason="Oops", by=world.steering)
    with pytest.raises(AwardError, match="citation"):
        decide_award(award=award, decision=CONFIRM, citation="New words", by=world.steering)


@pytest.mark.parametrize(
    "stage, status, message",
    [
        (Stage.EVALUATION, EvaluationStatus.FINALIZED, "reward stage"),
        (Stage.REWARD, EvaluationStatus.COMPUTED, "finalized"),
        (Stage.CLOSED, EvaluationStatus.FINALIZED, "closed"),
    ],
)
def test_awards_change_only_in_reward_with_a_final_evaluation(world, aw, stage, status, message):
    category(world, "outstanding_student", quota=1)
    propose_awards(evaluation=aw.evaluation, by=world.coordinator)
    award = Award.objects.get(evaluation=aw.evaluation)
    Cycle.objects.filter(pk=world.cycle.pk).update(stage=stage)
    type(aw.evaluation).objects.filter(pk=aw.evaluation.pk).update(status=status)
    calls = [
        lambda: propose_awards(evaluation=aw.evaluation, by=world.coordinator),
        lambda: decide_award(award=award, decision=CONFIRM, by=world.steering),
        lambda: add_award(
            evaluation=aw.evaluation,
            category=aw.mentor_award,
            subject_id=aw.engagement.pk,
            reason="Because",
            by=world.steering,
        ),
        lambda: publish_awards(evaluation=aw.evaluation, by=world.coordinator),
    ]
    for call in calls:
        with pytest.raises(AwardError, match=message):
            call()
    assert Award.objects.get(pk=award.pk).decision == AwardDecision.PENDING
