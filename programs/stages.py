"""The cycle stage machine's guards.

A guard is a callable ``guard(cycle) -> str | None`` that returns the reason a
move must be refused, or None. Guards that need data of later apps (engagements,
submissions, evaluations) register here from those apps' ``ready()``: this app
cannot import them, and the stage machine must still ask them.
"""

from collections import defaultdict

_guards = defaultdict(list)


def register_guard(to_stage):
    """Decorator: run the guard before any cycle moves into ``to_stage``."""

    def decorator(func):
        if func not in _guards[to_stage]:
            _guards[to_stage].append(func)
        return func

    return decorator


def refusal_reasons(cycle, to_stage):
    return [reason for guard in _guards[to_stage] if (reason := guard(cycle))]
