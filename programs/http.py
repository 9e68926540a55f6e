"""Reading ids and numbers from a request, the same way everywhere.

Every id or number that comes from a query string, a form value or a field
name goes through ``parse_number`` (or ``parse_id``) instead of ``int()``:
``str.isdigit()`` accepts "²" and other Unicode digits that ``int()`` then
refuses or reads, and ``int()`` happily parses a 5,000-digit number. Here a
number is 1 to 19 ASCII digits within the caller's range, and the caller says
what a bad one means:

    parse_id(raw)                      # None: ignore it, or give a form error
    parse_id(raw, otherwise=Http404)   # 404, e.g. the id names the page's object
    parse_id(raw, otherwise=BadRequest)  # 400, e.g. a value no page ever sends

Composite keys are split by the caller, and each part parsed here:
``move=12:up`` -> ``parse_id(position)``, ``mark_12`` -> ``ids_by_prefix``,
``c12`` -> ``parse_id(key[1:])``.

``RejectNulMiddleware`` (in settings) answers 400 to a NUL character anywhere
in the path, query string or form data, so free text never carries one to
the database.
"""

import re

from django.core.exceptions import SuspiciousOperation
from django.utils.http import url_has_allowed_host_and_scheme

# The largest value of a BigAutoField (a signed 64-bit integer).
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_number(raw, *, minimum=1, maximum=MAX_ID, otherwise=None):
    """``raw`` (a string from the request) as an int from ``minimum`` to
    ``maximum``. Anything else returns None, or raises ``otherwise`` when
    given (an exception class such as Http404 or BadRequest)."""
    if isinstance(raw, str) and _DIGITS.fullmatch(raw):
        number = int(raw)
        if minimum <= number <= maximum:
            return number
    if otherwise is None:
        return None
    raise otherwise


def parse_id(raw, *, otherwise=None):
    """``raw`` as a database id (a positive 64-bit integer); see ``parse_number``."""
    return parse_number(raw, otherwise=otherwise)


def ids_by_prefix(data, prefix):
    """``{id: value}`` for the keys of ``data`` (a QueryDict or dict) made of
    ``prefix`` and an id, e.g. ``mark_12=present`` -> ``{12: "present"}``.
    Keys with the prefix but no valid id after it are left out."""
    found = {}
    for key, value in data.items():
        if key.startswith(prefix) and (pk := parse_id(key.removeprefix(prefix))) is not None:
            found[pk] = value
    return found


def site_path(request, target):
    """``target`` (a ``next`` value from the request) if it is a path of this
    site, else None. Only a path counts: anything else handed to
    ``redirect()`` is taken for a URL name, and an unknown one fails with a
    500."""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def posted_next(request):
    """The page of this site a form asks to go back to (its ``next`` field), or None."""
    return site_path(request, request.POST.get("next", ""))


class NulCharacter(SuspiciousOperation):
    """A NUL character in the path, a query string or form data."""


class RejectNulMiddleware:
    """Answer 400 to a request whose path, query string or form data holds a
    NUL character (in a key or a value).

    PostgreSQL refuses NUL in text, so a NUL in a search box, an autocomplete
    term or a list filter would reach the database and end in a 500. Nobody
    types NUL: refusing it here, before any view, covers every parameter of
    every page, where stripping it in each search would miss the next one.
    Uploaded files are not looked at; their bytes may hold anything.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise NulCharacter("NUL character in the path")
        data = [request.GET]
        if request.method == "POST":
            data.append(request.POST)
        for querydict in data:
            for key, values in querydict.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise NulCharacter("NUL character in the request parameters")
        return self.get_response(request)
