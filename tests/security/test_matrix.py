"""The authorization matrix: every URL pattern of the project, asked by every
persona, answers what tests/security/expected.py declares.

The URLs come from the resolver, so a new one fails here until it is declared
(and its arguments can be filled: tests/security/routes.py). Each test walks
the whole table and reports every difference at once.
"""

import pytest

from .answers import PERSONAS
from .conftest import ask
from .expected import EXPECTED
from .routes import QUERIES, all_routes, route_url

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_every_url_is_declared_and_nothing_else():
    routes, skipped = all_routes()
    keys = {route.key for route in routes}
    undeclared = sorted(str(key) for key in keys - EXPECTED.keys())
    stale = sorted(str(key) for key in EXPECTED.keys() - keys)
    assert not undeclared, f"declare these URLs in tests/security/expected.py: {undeclared}"
    assert not stale, f"declared but no longer URLs of the project: {stale}"
    assert all(reason for _pattern, reason in skipped)


def _describe(response):
    described = str(response.status_code)
    if response.has_header("Location"):
        described += f" → {response['Location']}"
    if response.status_code >= 500 and getattr(response, "exc_info", None):
        described += f" ({response.exc_info[1]!r})"
    return described


def _walk(sec, method):
    differences = []
    for route in all_routes()[0]:
        url = route_url(route, sec.world)
        row = EXPECTED[route.key]
        expected = row.answers(method)
        data = QUERIES.get(route.key) if method == "get" else row.data
        for persona in PERSONAS:
            response = ask(sec.clients[persona], method, url, data)
            if not expected[persona].matches(response, url):
                differences.append(
                    f"{method.upper()} {url} as {persona}: expected {expected[persona]!r}, "
                    f"got {_describe(response)}"
                )
    return differences


def test_get_answers(sec):
    differences = _walk(sec, "get")
    assert not differences, "\n".join(differences)


def test_post_answers(sec):
    # Empty (or the declared minimal) data: enough to pass or fail each check.
    differences = _walk(sec, "post")
    assert not differences, "\n".join(differences)
