from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    AwardCategory,
    AwardSubject,
    CompetenceDimension,
    Cycle,
    DeliverableKind,
    GroupKind,
    GroupRule,
    Program,
    ProgramKind,
    ReminderPolicy,
    RubricCriterion,
    Stage,
    StageTransition,
    SurveyQuestion,
)
from .stages import apply_effects, refusal_reasons

# Group size rules of the two seed programs: teams of three mentors; coaching
# groups of five or more coaches with about 20 students; personalized groups of
# one or two leading coaches, five coaches or fewer, fewer than 10 students.
DEFAULT_GROUP_RULES = {
    ProgramKind.MENTOR: [
        dict(kind=GroupKind.MENTOR_TEAM, min_mentors=3, max_mentors=3, max_leaders=1),
    ],
    ProgramKind.COACHING: [
        dict(kind=GroupKind.ENTERPRISE, min_mentors=5, max_leaders=1, max_students=20),
        dict(kind=GroupKind.INDUSTRY, min_mentors=5, max_leaders=1, max_students=20),
        dict(
            kind=GroupKind.PERSONALIZED,
            min_mentors=1,
            max_mentors=5,
            max_leaders=2,
            max_students=9,
        ),
    ],
}

DEFAULT_AWARD_SUBJECTS = {
    "outstanding_group": AwardSubject.GROUP,
    "excellent_mentor": AwardSubject.MENTOR,
    "outstanding_student": AwardSubject.STUDENT,
}


class StageTransitionError(Exception):
    """A cycle cannot move; ``reasons`` says why, in the user's language."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons))


def _add_defaults(model, program, extra=None):
    rows = [
        model(
            program=program,
            code=code,
            name=label,
            position=position,
            **(extra or {}).get(code, {}),
        )
        for position, (code, label) in enumerate(model.DEFAULT_LABELS.items())
    ]
    model.objects.bulk_create(rows, ignore_conflicts=True)


def apply_default_rules(*, program):
    """Give a program the seed programs' default rules. Safe to run twice:
    existing items (by code or kind) are kept as the coordinator left them."""
    _add_defaults(CompetenceDimension, program)
    _add_defaults(DeliverableKind, program)
    _add_defaults(
        AwardCategory,
        program,
        {code: {"subject": subject} for code, subject in DEFAULT_AWARD_SUBJECTS.items()},
    )
    _add_defaults(RubricCriterion, program, RubricCriterion.DEFAULTS)
    _add_defaults(SurveyQuestion, program, SurveyQuestion.DEFAULTS)
    GroupRule.objects.bulk_create(
        [GroupRule(program=program, **rule) for rule in DEFAULT_GROUP_RULES[program.kind]],
        ignore_conflicts=True,
    )
    ReminderPolicy.objects.bulk_create([ReminderPolicy(program=program)], ignore_conflicts=True)


@transaction.atomic
def create_program(*, name, kind, organisation, **fields):
    """Create a program with the default rules for its kind."""
    program = Program.objects.create(name=name, kind=kind, organisation=organisation, **fields)
    apply_default_rules(program=program)
    return program


def stage_refusals(*, cycle, to_stage):
    """Why ``cycle`` cannot move to ``to_stage`` now; empty when it can."""
    if cycle.stage == Stage.CLOSED:
        return [_("The cycle is closed; its stage cannot change.")]
    if to_stage != cycle.next_stage:
        return [
            _("A cycle in %(stage)s can only move on to %(next)s.")
            % {
                "stage": cycle.get_stage_display(),
                "next": Stage(cycle.next_stage).label,
            }
        ]
    return refusal_reasons(cycle, to_stage)


@transaction.atomic
def advance_stage(*, cycle, by, to_stage=None, note="", choices=None):
    """Move ``cycle`` one stage forward and record who did it.

    Stages only move forward, one at a time; every registered guard for the
    target stage must agree. Raises StageTransitionError with the reasons.
    The cycle row is locked so two coordinators cannot move it at once.
    The target stage's effects (programs.stages) run in the same transaction
    with ``choices`` (the confirmation page's options; empty: their defaults)
    and their notes go into the stage history beside who and when.
    """
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    to_stage = to_stage or cycle.next_stage
    reasons = stage_refusals(cycle=cycle, to_stage=to_stage)
    if reasons:
        raise StageTransitionError(reasons)
    from_stage = cycle.stage
    cycle.stage = to_stage
    cycle.stage_changed_at = timezone.now()
    cycle.save(update_fields=["stage", "stage_changed_at"])
    notes = [note, *apply_effects(cycle, to_stage, by=by, choices=choices or {})]
    note_field = StageTransition._meta.get_field("note")
    StageTransition.objects.create(
        cycle=cycle,
        from_stage=from_stage,
        to_stage=to_stage,
        by=by,
        note=" ".join(n for n in notes if n)[: note_field.max_length],
    )
    return cycle
