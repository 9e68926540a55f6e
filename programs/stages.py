"""The cycle stage machine's guards, consequences and effects.

A guard is a callable ``guard(cycle) -> str | None`` that returns the reason a
move must be refused, or None. A consequence provider ``provider(cycle,
to_stage) -> iterable of Consequence`` says what a move will change, for the
confirmation page. An effect ``effect(cycle=, by=, choices=) -> str | None``
runs inside the move's transaction and returns a note for the stage history.
Those that need data of later apps (engagements, submissions, evaluations)
register here from those apps' ``ready()``: this app cannot import them, and
the stage machine must still ask them.
"""

from collections import defaultdict

_guards = defaultdict(list)
_consequences = []
_effects = defaultdict(list)


def _add(registry, func):
    if func not in registry:
        registry.append(func)
    return func


def register_guard(to_stage):
    """Decorator: run the guard before any cycle moves into ``to_stage``."""
    return lambda func: _add(_guards[to_stage], func)


def register_consequences(func):
    """Decorator: ask ``func(cycle, to_stage)`` what any stage move will change."""
    return _add(_consequences, func)


def register_effect(to_stage):
    """Decorator: run the effect in the transaction that moves a cycle into ``to_stage``."""
    return lambda func: _add(_effects[to_stage], func)


def refusal_reasons(cycle, to_stage):
    return [reason for guard in _guards[to_stage] if (reason := guard(cycle))]


def consequences(cycle, to_stage):
    return [item for provider in _consequences for item in provider(cycle, to_stage)]


def apply_effects(cycle, to_stage, *, by, choices):
    """Run the effects of entering ``to_stage``; their notes, in order."""
    notes = [effect(cycle=cycle, by=by, choices=choices) for effect in _effects[to_stage]]
    return [note for note in notes if note]
