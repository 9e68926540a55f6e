"""Hostile input for every URL: which parameters a page reads, and what to send.

A page's parameters are found three ways: the keys its code looks up in
request.GET or request.POST during a normal request (recorded by patching
QueryDict's lookups), the fields and links of the page it renders, and the
keys the security review named. Keys a view only finds by iterating over the
data (``mark_<id>``, ``score-<id>-<id>``) are in the last list, in the shapes
the views parse.
"""

import html
import os
import re
import sys
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from .answers import FORBIDDEN, LOGIN, NOT_ALLOWED, NOT_FOUND, PERSONAS, Answer

HUGE = "9" * 5000
# Sent as the value of every parameter, one value at a time: one of each kind
# of trouble (a Unicode digit that str.isdigit() accepts and int() refuses, a
# number no column holds, a negative id, NUL, a long text, dates the calendar
# overflows on, nothing).
VALUES = (
    "²",
    HUGE,
    "-1",
    "\x00",
    "x" * 5000,
    "9999-12-31",
    "0001-01-01",
    "",
)
# Also sent one parameter at a time, to what the project's code parses by
# hand: "²" passes str.isdigit() and fails int(), a huge number fails in the
# database, and so does a NUL (in PostgreSQL).
SHARP_VALUES = ("²", HUGE, "\x00")
# Parameters only Django or a library reads (the admin's filters, ordering and
# pages) behave alike on every page; one at a time they get the sharpest value
# only, which keeps the walk over some 300 URLs within a few minutes.
LIBRARY_VALUES = ("²",)
# Keys the review found parsed by hand, and the admin's list parameters.
ISSUE_KEYS = (
    "program",
    "cycle",
    "student",
    "mentor",
    "group",
    "sort",
    "tab",
    "q",
    "o",
    "p",
    "term",
    "page",
    "next",
)


def shaped(number):
    """Keys and values of the shapes the views parse, around ``number``: each
    view reads its own, so they go together."""
    return {
        "move": f"{number}:up",
        f"mark_{number}": "present",
        "sort": f"-c{number}",
        f"score-{number}-1": "5",
        f"comment-{number}-1": "x",
        f"score_{number}_c1": "5",
        "moment": number,
        "next": number,
    }


IGNORED_KEYS = {"csrfmiddlewaretoken"}
# Parameters that make the admin refuse the whole request at once (400) when
# they are wrong: sent with every other parameter, they would hide what the
# page does with the rest, so they only get their values one at a time.
GATE_KEYS = {"_to_field"}
_LOOKUPS = ("__getitem__", "get", "getlist", "__contains__")


class LookedUp(set):
    """Keys looked up in a QueryDict; ``ours`` holds those the project's own
    code looked up (rather than Django or a library)."""

    def __init__(self):
        super().__init__()
        self.ours = set()
        self.by_querydict = {}

    def read_from(self, querydict):
        """The keys looked up in ``querydict`` (e.g. the request's POST)."""
        return self.by_querydict.get(id(querydict), set())


_PROJECT = str(settings.BASE_DIR) + os.sep
_LIBRARIES = os.sep + "site-packages" + os.sep


def _is_ours(filename):
    return filename.startswith(_PROJECT) and _LIBRARIES not in filename


@contextmanager
def recorded_keys():
    """The keys looked up in any QueryDict (request.GET, request.POST) meanwhile."""
    keys = LookedUp()
    originals = {name: MultiValueDict.__dict__.get(name) for name in _LOOKUPS}

    def recording(name):
        original = getattr(MultiValueDict, name)

        def lookup(self, key, *args, **kwargs):
            if isinstance(self, QueryDict) and isinstance(key, str):
                keys.add(key)
                keys.by_querydict.setdefault(id(self), set()).add(key)
                if _is_ours(sys._getframe(1).f_code.co_filename):
                    keys.ours.add(key)
            return original(self, key, *args, **kwargs)

        return lookup

    for name in _LOOKUPS:
        setattr(MultiValueDict, name, recording(name))
    try:
        yield keys
    finally:
        for name, original in originals.items():
            if original is None:
                delattr(MultiValueDict, name)
            else:
                setattr(MultiValueDict, name, original)


_FIELD = re.compile(r"<(?:input|select|textarea|button)\b[^>]*?\sname=\"([^\"]+)\"", re.I)
_LINK = re.compile(r"href=\"([^\"]*\?[^\"]*)\"", re.I)


def page_keys(response):
    """(field names, parameters of its links to itself) of an HTML page."""
    if "html" not in response.get("Content-Type", ""):
        return set(), set()
    body = response.content.decode(errors="replace")
    links = set()
    for link in _LINK.findall(body):
        parts = urlsplit(html.unescape(link))
        # Links to other pages name what those pages read, not this one.
        if parts.path in ("", response.wsgi_request.path):
            links.update(key for key, _value in parse_qsl(parts.query))
    return set(_FIELD.findall(body)) - IGNORED_KEYS, links - IGNORED_KEYS


_REACHING_ORDER = ("student", "mentor", "coordinator", "steering", "no_role_staff")
_REFUSALS = (NOT_FOUND, FORBIDDEN, LOGIN)


def reaching(answers):
    """A persona the URL lets in (None when it refuses everybody)."""
    order = [*_REACHING_ORDER, *(p for p in PERSONAS if p not in _REACHING_ORDER)]
    for persona in order:
        answer = answers[persona]
        if isinstance(answer, Answer) and answer not in (*_REFUSALS, NOT_ALLOWED):
            return persona
    return None


def refused(answers):
    """A persona the URL turns away, an outsider first (None when it refuses nobody)."""
    for refusal in _REFUSALS:
        for persona in PERSONAS:
            if answers[persona] == refusal:
                return persona
    return None


def payloads(keys, parsed, ours, values=VALUES, *, thorough=True):
    """(description, data) of every hostile request to a page that reads
    ``keys``, of which its code looks up or links to ``parsed``, and the
    project's own code looks up ``ours``.

    Every key gets each value at once; a form validates every field, but code
    that parses parameters by hand may stop at the first bad one, so those
    also get the sharpest values one at a time, unless not ``thorough``.
    """
    keys = sorted(keys - IGNORED_KEYS - GATE_KEYS)
    for value in values:
        yield f"every parameter = {value[:12]!r}", dict.fromkeys(keys, value)
    if not thorough:
        return
    for key in sorted(parsed - IGNORED_KEYS):
        for value in SHARP_VALUES if key in ours else LIBRARY_VALUES:
            yield f"{key} = {value[:12]!r}", {key: value}
    for number in ("²", HUGE):
        yield f"shaped keys around {number[:12]!r}", shaped(number)
