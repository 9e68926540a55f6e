"""No URL answers 5xx to hostile input.

Every URL pattern (from the resolver) is asked, by a persona it lets in and by
one it turns away, with hostile values in each query parameter and form field
it reads (tests/security/hostile.py finds them) and in its path arguments.
A 400, 403, 404 or a form error is a fine answer; a 500 never is.
"""

import traceback

import pytest
from django.urls import NoReverseMatch, reverse

from .conftest import ask
from .expected import EXPECTED
from .hostile import (
    HUGE,
    ISSUE_KEYS,
    VALUES,
    page_keys,
    payloads,
    reaching,
    recorded_keys,
    refused,
    shaped,
)
from .routes import QUERIES, all_routes, route_kwargs, route_url

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


class Failures:
    """5xx answers, one line per route, place in the code and persona."""

    def __init__(self):
        self.seen = {}

    def check(self, response, method, url, persona, what):
        if response.status_code < 500:
            return
        where, error = "", ""
        if getattr(response, "exc_info", None):
            _type, error, tb = response.exc_info
            frame = traceback.extract_tb(tb)[-1]
            where = f"{frame.filename.rsplit('site-packages/', 1)[-1]}:{frame.lineno}"
            error = repr(error)[:160]
        key = (url.split("?")[0], method, persona, where)
        if key not in self.seen:
            self.seen[key] = (
                f"{method.upper()} {url[:100]} as {persona} with {what}: "
                f"{response.status_code} {error} at {where}"
            )

    def report(self):
        return "\n".join(self.seen.values())


HTMX = {"HX-Request": "true"}
# The admin's history and delete-confirmation pages are Django's views, the
# same for every model: they read only Django's own parameters, and what
# differs per model (finding the object) is walked through the path. Each
# value in every parameter at once covers them; one model's worth of
# one-at-a-time requests would be repeated some thirty times.
GENERIC_ADMIN_VIEWS = ("history", "delete")
# A refusal before any parameter is read: nothing more to try as that persona.
REFUSED_STATUSES = {403, 404, 405}


def _discover(client, method, url, base):
    """(answer, keys its code looked up, its form fields, its links' parameters)."""
    with recorded_keys() as looked_up:
        response = ask(client, method, url, base)
    return response, looked_up, *page_keys(response)


def _other_program_id(w):
    """An id of program B's: a valid id the person may not use."""
    return str(w.other_enrollment.pk)


def _walk_route(sec, route, failures):
    url = route_url(route, sec.world)
    row = EXPECTED[route.key]
    values = (*VALUES, _other_program_id(sec.world))
    thorough = route.view not in GENERIC_ADMIN_VIEWS
    form_fields = set()
    for method in ("get", "post"):
        if method == "post" and row.post is None:
            continue  # the view takes no POST: 405 before anything is read
        answers = row.answers(method)
        base = dict(QUERIES.get(route.key, {}) if method == "get" else row.data or {})
        keys = {*ISSUE_KEYS, *form_fields}
        inside = reaching(answers)
        if inside:
            client = sec.clients[inside]
            response, looked_up, fields, links = _discover(client, method, url, base)
            if method == "get":
                form_fields = fields
                parsed = looked_up | links
            else:
                # A bound form reads every field and checks them all at once:
                # only what the view reads besides them is parsed by hand.
                parsed = looked_up - fields - form_fields
            keys |= looked_up | fields | links
            ours = looked_up.ours | set(ISSUE_KEYS)
            reads_nothing = response.status_code in (301, 302) and not looked_up
            if method == "post":
                # A view that reads nothing of a body has nothing to parse in one.
                reads_nothing |= not looked_up.read_from(response.wsgi_request.POST)
            if response.status_code not in REFUSED_STATUSES and not reads_nothing:
                # The page's own query (what the autocomplete asks about) stays
                # valid when every other parameter is hostile.
                hostile = payloads(keys - base.keys(), parsed, ours, values, thorough=thorough)
                for what, payload in hostile:
                    response = ask(client, method, url, {**base, **payload})
                    failures.check(response, method, url, inside, what)
                if thorough:
                    # htmx asks for a fragment, which some views build apart.
                    hostile = {**dict.fromkeys(keys - base.keys(), "²"), **base, **shaped("²")}
                    response = ask(client, method, url, hostile, headers=HTMX)
                    failures.check(response, method, url, inside, "htmx, every parameter = '²'")
        outside = refused(answers)
        if outside:
            for value in ("²", "\x00", ""):
                response = ask(sec.clients[outside], method, url, dict.fromkeys(keys, value))
                failures.check(response, method, url, outside, f"every parameter = {value!r:.12}")
    _walk_path(sec, route, reaching(row.answers("get")), failures)


def _walk_path(sec, route, persona, failures):
    """Hostile values in the URL's own arguments (those its converter lets through)."""
    if not route.kwarg_names or not route.name or not persona:
        return
    kwargs = route_kwargs(route, sec.world)
    for name in route.kwarg_names:
        for value in (HUGE, "²", "\x00", "-1"):
            try:
                url = reverse(route.name, kwargs={**kwargs, name: value})
            except NoReverseMatch:
                continue
            response = ask(sec.clients[persona], "get", url)
            failures.check(response, "get", url, persona, f"path {name} = {value!r:.12}")


def _walk(sec, admin):
    failures = Failures()
    for route in all_routes()[0]:
        if str(route.pattern).startswith("admin/") == admin:
            _walk_route(sec, route, failures)
    return failures


def test_site_urls_never_answer_5xx(sec):
    failures = _walk(sec, admin=False)
    assert not failures.seen, failures.report()


def test_admin_urls_never_answer_5xx(sec):
    failures = _walk(sec, admin=True)
    assert not failures.seen, failures.report()
