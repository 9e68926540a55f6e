import datetime

import pytest
from django.db import IntegrityError, transaction

from programs.models import (
    AwardCategory,
    CompetenceDimension,
    Cycle,
    DeliverableKind,
    GroupRule,
    Program,
    ProgramKind,
)
from programs.services import apply_default_rules, create_program
from tests import factories as f

pytestmark = pytest.mark.django_db


def violates(func):
    with pytest.raises(IntegrityError), transaction.atomic():
        func()


def test_create_program_gets_the_seed_defaults():
    program = create_program(
        name="Alumni", kind=ProgramKind.MENTOR, organisation="School of Business"
    )
    assert (program.mentor_capacity_min, program.mentor_capacity_max) == (3, 5)
    assert list(
        CompetenceDimension.objects.for_program(program).values_list("code", flat=True)
    ) == [
        "self_awareness",
        "career_exploration",
        "decision_making",
    ]
    assert set(
        DeliverableKind.objects.filter(program=program, required=True).values_list(
            "code", flat=True
        )
    ) == {"career_plan", "internship_report", "communication_record"}
    assert set(AwardCategory.objects.filter(program=program).values_list("code", "subject")) == {
        ("outstanding_group", "group"),
        ("excellent_mentor", "mentor"),
        ("outstanding_student", "student"),
    }
    team = GroupRule.objects.get(program=program)
    assert (team.kind, team.min_mentors, team.max_mentors) == ("mentor_team", 3, 3)


def test_coaching_program_allows_the_three_group_kinds():
    program = create_program(name="Coaching", kind=ProgramKind.COACHING, organisation="CDC")
    rules = {rule.kind: rule for rule in GroupRule.objects.filter(program=program)}
    assert set(rules) == {"enterprise", "industry", "personalized"}
    assert rules["enterprise"].min_mentors == 5
    assert (rules["personalized"].max_mentors, rules["personalized"].max_leaders) == (5, 2)
    assert rules["personalized"].max_students == 9


def test_defaults_are_idempotent_and_keep_edits():
    program = f.ProgramFactory()
    CompetenceDimension.objects.filter(program=program, code="self_awareness").update(
        name="Knowing yourself"
    )
    apply_default_rules(program=program)
    assert CompetenceDimension.objects.filter(program=program).count() == 3
    renamed = CompetenceDimension.objects.get(program=program, code="self_awareness")
    assert renamed.label == "Knowing yourself"


def test_default_labels_follow_the_reader_language():
    from django.utils import translation

    program = f.ProgramFactory()
    item = DeliverableKind.objects.get(program=program, code="career_plan")
    assert item.label == "Personal career plan"
    with translation.override("zh-hans"):
        assert item.label != "Personal career plan"


def test_program_capacity_bounds():
    violates(lambda: f.ProgramFactory(mentor_capacity_min=0, rules=False))
    violates(lambda: f.ProgramFactory(mentor_capacity_min=5, mentor_capacity_max=3, rules=False))
    violates(lambda: f.ProgramFactory(preferences_count=0, rules=False))


def test_program_name_unique():
    f.ProgramFactory(name="Same")
    violates(lambda: Program.objects.create(name="Same", kind="mentor", organisation="x"))


def test_cycle_dates_and_unique_name():
    program = f.ProgramFactory()
    day = datetime.date(2026, 9, 1)
    violates(lambda: Cycle.objects.create(program=program, name="x", starts_on=day, ends_on=day))
    Cycle.objects.create(
        program=program, name="2026", starts_on=day, ends_on=day + datetime.timedelta(days=300)
    )
    violates(
        lambda: Cycle.objects.create(
            program=program, name="2026", starts_on=day, ends_on=day + datetime.timedelta(days=1)
        )
    )


def test_cycle_stage_must_be_known():
    violates(lambda: f.CycleFactory(stage="party"))


def test_rule_codes_unique_per_program():
    program = f.ProgramFactory()
    violates(
        lambda: DeliverableKind.objects.create(program=program, code="career_plan", name="Again")
    )
    violates(lambda: GroupRule.objects.create(program=program, kind="mentor_team"))


def test_group_rule_bounds():
    program = f.ProgramFactory(rules=False)
    violates(
        lambda: GroupRule.objects.create(
            program=program, kind="industry", min_mentors=5, max_mentors=2
        )
    )
    violates(lambda: GroupRule.objects.create(program=program, kind="industry", max_leaders=0))


def test_program_with_cycles_cannot_be_deleted():
    from django.db.models import ProtectedError

    cycle = f.CycleFactory()
    with pytest.raises(ProtectedError):
        cycle.program.delete()


def test_a_cycle_enters_each_stage_once():
    from programs.models import StageTransition

    cycle = f.CycleFactory()
    user = f.UserFactory()
    StageTransition.objects.create(cycle=cycle, from_stage="setup", to_stage="selection", by=user)
    violates(
        lambda: StageTransition.objects.create(
            cycle=cycle, from_stage="setup", to_stage="selection", by=user
        )
    )


@pytest.mark.parametrize("field", ["meeting_edit_days", "at_risk_after_days"])
def test_day_limits_are_at_least_one_day(field):
    program = f.ProgramFactory()
    assert (program.meeting_edit_days, program.at_risk_after_days) == (7, 30)
    violates(lambda: Program.objects.filter(pk=program.pk).update(**{field: 0}))
