"""Fixtures shared by the reminder ledger's tests."""

import pytest

from mentorship import reminders


@pytest.fixture
def due(monkeypatch, db):
    """A test source (instead of the apps' own) whose due items the test sets."""
    items = []
    monkeypatch.setattr(reminders, "_sources", {})
    reminders.register_source("test_due", lambda now: list(items))
    return items
