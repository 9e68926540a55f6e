"""Sections that later apps add to the homes.

The homes live here, but deliverables, meetings and activities belong to apps
that import this one, never the reverse. Each such app registers, in its
AppConfig.ready, a function computing one context entry of a home; the home
view calls them all. Each function must cost a fixed number of queries.
"""

_SECTIONS = {}


def register(role, name, function):
    """Make ``function(user)`` fill the context entry ``name`` on ``role``'s home."""
    _SECTIONS.setdefault(role, {})[name] = function


def home_sections(role, user):
    """The registered context entries of ``role``'s home for ``user``."""
    return {name: function(user) for name, function in _SECTIONS.get(role, {}).items()}
