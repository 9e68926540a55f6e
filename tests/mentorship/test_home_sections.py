"""The registry through which later apps put their sections on the homes."""

import pytest

from mentorship import home_sections as registry
from mentorship.roles import MENTOR, STUDENT


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(registry, "_sections", {MENTOR: {}, STUDENT: {}})


def test_sections_come_in_order_with_their_context(clean_registry):
    seen = []
    registry.register(
        MENTOR, name="late", template="b.html", provider=lambda u: seen.append(u) or 2, order=50
    )
    registry.register(MENTOR, name="early", template="a.html", provider=lambda u: 1, order=10)
    registry.register(STUDENT, name="other", template="c.html", provider=lambda u: 3)
    registry.register(MENTOR, name="now", template="t.html", provider=lambda u: 0, place="top")
    context = registry.home_sections(MENTOR, "someone")
    assert context == {
        "now": 0,
        "early": 1,
        "late": 2,
        "home_top": ["t.html"],
        "home_sections": ["a.html", "b.html"],
    }
    assert seen == ["someone"]


def test_registering_a_name_again_replaces_it(clean_registry):
    registry.register(STUDENT, name="x", template="old.html", provider=lambda u: 0)
    registry.register(STUDENT, name="x", template="new.html", provider=lambda u: 1)
    assert registry.home_sections(STUDENT, None)["home_sections"] == ["new.html"]
