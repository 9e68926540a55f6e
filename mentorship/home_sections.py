"""Sections of the home pages that later apps provide.

The homes live in this app, but some of what they show (competence
self-assessment, deliverables, meetings) belongs to apps that depend on this
one and which it must not import. Those apps register a provider
``func(*, user)`` from their ``ready()``; the home view asks for it by name
and gets None when the app is not installed.
"""

_providers = {}


def register_home_section(name):
    """Decorator: ``func(*, user)`` computes the home context entry ``name``."""

    def decorator(func):
        _providers[name] = func
        return func

    return decorator


def home_section(name, *, user):
    provider = _providers.get(name)
    return provider(user=user) if provider else None
