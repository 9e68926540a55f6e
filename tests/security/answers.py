"""The answers a URL may give, and who asks.

An answer is a status, or a redirect with where it must lead. ``by`` declares
one answer per persona compactly: a default for the signed-in people and the
exceptions by persona; anonymous people go to login unless said otherwise.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

PERSONAS = (
    "anonymous",
    "no_role_staff",
    "student",
    "other_student",
    "mentor",
    "other_mentor",
    "coordinator",
    "other_coordinator",
    "steering",
)
STAFF = ("coordinator", "other_coordinator", "steering", "no_role_staff")
NOT_STAFF = ("anonymous", "student", "other_student", "mentor", "other_mentor")
# Where a login redirect may lead: the site's sign-in, or the admin's (which
# may itself be routed to the site's).
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


# A redirect target: back to the page asked for.
SAME = "<same page>"


def _leads_to(target, path, asked):
    if target == SAME:
        return path == asked
    if target.endswith("$"):
        return path == target[:-1]
    return path.startswith(target)


@dataclass(frozen=True)
class Answer:
    status: int
    # For a redirect, where it must lead: path prefixes, "path$" for exactly
    # that path, or SAME.
    to: tuple = ()
    label: str = ""

    def matches(self, response, asked):
        if response.status_code != self.status:
            return False
        if not self.to:
            return True
        path = urlsplit(response["Location"]).path
        return any(_leads_to(target, path, asked) for target in self.to)

    def __repr__(self):
        return self.label or str(self.status)


@dataclass(frozen=True)
class AnyOf:
    """Either answer is right (the admin's own login page, or the site's)."""

    answers: tuple

    def matches(self, response, asked):
        return any(answer.matches(response, asked) for answer in self.answers)

    def __repr__(self):
        return " or ".join(repr(answer) for answer in self.answers)


def redirect(*to, label="", status=302):
    """A redirect to a path starting with one of ``to`` (anywhere when empty)."""
    return Answer(status, tuple(to), label or f"{status}→{'|'.join(to) or '*'}")


OK = Answer(200, label="OK")
LOGIN = Answer(302, LOGIN_PATHS, "LOGIN")
BAD_REQUEST = Answer(400, label="BAD_REQUEST")
FORBIDDEN = Answer(403, label="FORBIDDEN")
NOT_FOUND = Answer(404, label="NOT_FOUND")
NOT_ALLOWED = Answer(405, label="NOT_ALLOWED")
BACK = redirect(SAME, label="BACK")
HOME = redirect("/$", label="HOME")
# The admin's answer for an object outside the person's programs: back to the
# admin index with "doesn't exist" (the same as for an id that was never used).
ADMIN_MISSING = redirect("/admin/$", label="ADMIN_MISSING")


def by(default, **overrides):
    """One answer per persona: ``default`` for the signed-in, LOGIN for anonymous."""
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"not personas: {sorted(unknown)}")
    answers = dict.fromkeys(PERSONAS, default)
    answers["anonymous"] = LOGIN
    answers.update(overrides)
    return answers


def for_all(answer):
    """The same answer for everybody, signed in or not (public pages)."""
    return dict.fromkeys(PERSONAS, answer)


def expand(declared):
    """A declared answer (one for all, or per persona) as one per persona."""
    if isinstance(declared, dict):
        return declared
    return by(declared)


# Row.post: the POST is answered as the GET (a form re-shown with its errors,
# a confirmation page, a refusal that does not depend on the method).
AS_GET = "as GET"


@dataclass(frozen=True)
class Row:
    """What a URL answers each persona: to a GET, and to a POST of ``data``.

    ``post`` None: the view takes no POST, so it answers 405, or refuses the
    POST as it refused the GET.
    """

    get: object
    post: object = None
    data: dict | None = None

    def answers(self, method):
        if method == "get" or self.post == AS_GET:
            return expand(self.get)
        if self.post is None:
            return {persona: _refused(answer) for persona, answer in expand(self.get).items()}
        return expand(self.post)


def _refused(get_answer):
    if get_answer == OK:
        return NOT_ALLOWED
    return AnyOf((get_answer, NOT_ALLOWED))


def staff(default, **overrides):
    """An admin page: the admin's login for everybody who is not staff."""
    return by(default, **dict.fromkeys(NOT_STAFF, LOGIN), **overrides)


def admin_model(coordinator="", steering="", scoped=True):
    """The admin's own pages of one model, from what each role may do with it
    (letters: v view, a add, c change, d delete).

    The object asked for is of program A: the coordinator of B, and staff
    without a role where the model is scoped to programs, do not find it.
    Django checks the permission first and then answers ADMIN_MISSING, except
    on the history page, which looks the object up first.
    """
    rights = {"coordinator": coordinator, "steering": steering, "other_coordinator": coordinator}
    finds = {"coordinator": True, "steering": True, "other_coordinator": not scoped}
    rights["no_role_staff"], finds["no_role_staff"] = "", not scoped

    def page(rule):
        return staff(None, **{p: rule(set(rights[p]), finds[p]) for p in STAFF})

    def allowed(may, found, *letters):
        if not may & set(letters):
            return FORBIDDEN
        return OK if found else ADMIN_MISSING

    return {
        "changelist": Row(page(lambda may, found: allowed(may, True, "v", "c")), AS_GET),
        "add": Row(page(lambda may, found: allowed(may, True, "a")), AS_GET),
        "history": Row(
            page(lambda may, found: allowed(may, True, "v", "c") if found else ADMIN_MISSING),
            AS_GET,
        ),
        "delete": Row(page(lambda may, found: allowed(may, found, "d")), AS_GET),
        # A POST is refused only once the object was found.
        "change": Row(
            page(lambda may, found: allowed(may, found, "v", "c")),
            page(
                lambda may, found: (
                    allowed(may, found, "v", "c") if "c" in may or not found else FORBIDDEN
                )
            ),
        ),
        "object_redirect": Row(staff(redirect("/admin/")), AS_GET),
    }
