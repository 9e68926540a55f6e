"""Every URL pattern of the project, from the resolver, with real arguments.

A route's key is its URL name ("activity_detail", "admin:programs_cycle_advance"),
or for the admin's own per-model pages the model and the view
("programs.cycle", "change"): the expectation table and the argument table
below are keyed the same way, so a new URL fails the tests until declared.
"""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

# Patterns no test can ask for, each with the reason.
SKIPPED = {
    # Django's static files server: only in DEBUG, never in production.
    "django.contrib.staticfiles.views.serve": "DEBUG-only static files",
}
# The admin's views on every registered model, by the end of their URL name;
# the nameless "<object_id>/" pattern redirects to the change page.
ADMIN_MODEL_VIEWS = ("changelist", "add", "history", "delete", "change")
OBJECT_REDIRECT = "object_redirect"


@dataclass(frozen=True)
class Route:
    key: object  # a URL name, or (model label, view) for the admin's model pages
    pattern: str
    name: str | None
    kwarg_names: tuple
    model_label: str | None = None
    view: str | None = None

    def __str__(self):
        return self.pattern


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), namespace, entry


def _qualified_name(callback):
    return f"{callback.__module__}.{getattr(callback, '__name__', '')}"


def _route(pattern, namespace, entry):
    kwarg_names = tuple(entry.pattern.regex.groupindex)
    name = f"{namespace}{entry.name}" if entry.name else None
    model_admin = getattr(entry.callback, "model_admin", None)
    if model_admin is not None:
        label = model_admin.model._meta.label_lower
        prefix = f"admin:{label.replace('.', '_')}_"
        view = name[len(prefix) :] if name and name.startswith(prefix) else None
        if name is None and kwarg_names == ("object_id",):
            view = OBJECT_REDIRECT
        if view in (*ADMIN_MODEL_VIEWS, OBJECT_REDIRECT):
            return Route((label, view), pattern, name, kwarg_names, label, view)
    return Route(name or pattern, pattern, name, kwarg_names)


def all_routes():
    """(routes, skipped patterns with their reason) of the whole project."""
    routes, skipped = [], []
    for pattern, namespace, entry in _walk(get_resolver()):
        reason = SKIPPED.get(_qualified_name(entry.callback))
        if reason:
            skipped.append((pattern, reason))
        else:
            routes.append(_route(pattern, namespace, entry))
    return routes, skipped


# How each URL's arguments are filled from the world (tests/security/world.py):
# always with program A's objects, which the coordinator of B must not reach.
# First by URL name, then by argument name.
KWARGS_BY_NAME = {
    "notification_read": lambda w: {"pk": w.notification.pk},
    "notification_open": lambda w: {"pk": w.notification.pk},
    "group_detail": lambda w: {"pk": w.team.pk},
    "selection_mentor": lambda w: {"enrollment": w.enrollment.pk, "pk": w.engagement.pk},
    "selection_group_applicants": lambda w: {"group": w.led_group.pk},
    "invitation_accept": lambda w: {
        "uidb64": urlsafe_base64_encode(force_bytes(w.invited.pk)),
        "token": w.invitation_token,
    },
    "activity_detail": lambda w: {"pk": w.activity.pk},
    "activity_rsvp": lambda w: {"pk": w.activity.pk},
    "activity_rate": lambda w: {"pk": w.activity.pk},
    "activity_attendance": lambda w: {"pk": w.activity.pk},
    "calendar_feed": lambda w: {"token": w.calendar_token},
    "competence_save": lambda w: {"enrollment": w.enrollment.pk, "moment": "start"},
    "opportunity_detail": lambda w: {"pk": w.opportunity.pk},
    "opportunity_status": lambda w: {"pk": w.opportunity.pk},
    "mentor_meeting": lambda w: {"pk": w.meeting.pk},
    "mentor_meeting_edit": lambda w: {"pk": w.meeting.pk},
    "student_meeting_confirm": lambda w: {"pk": w.meeting.pk},
    "student_meeting_dispute": lambda w: {"pk": w.meeting.pk},
    "deliverable_detail": lambda w: {"pk": w.requirement.pk},
    "review_detail": lambda w: {"pk": w.submission.pk},
    "submission_file": lambda w: {"pk": w.submission.pk},
    "survey": lambda w: {"cycle_id": w.past_cycle.pk, "audience": "student"},
    "cycle_dashboard": lambda w: {"pk": w.cycle.pk},
    "group_dashboard": lambda w: {"pk": w.team.pk},
    "cycle_at_risk": lambda w: {"pk": w.cycle.pk},
    "group_at_risk": lambda w: {"pk": w.team.pk},
    "award_certificate": lambda w: {"pk": w.award.pk},
    # allauth's links carry keys the test cannot know: a wrong one is a page too.
    "account_confirm_email": lambda w: {"key": "not-a-key"},
    "account_reset_password_from_key": lambda w: {"uidb36": "1", "key": "set-password"},
    "admin:view_on_site": lambda w: {
        "content_type_id": _content_type(w.team).pk,
        "object_id": w.team.pk,
    },
    "admin:app_list": lambda w: {"app_label": "mentorship"},
    "admin:programs_cycle_advance": lambda w: {"object_id": w.cycle.pk},
    "competence_mentee": lambda w: {"enrollment": w.enrollment.pk},
    "admin:auth_user_password_change": lambda w: {"id": w.student.pk},
    **{
        f"admin:mentorship_{model}_import_job{view}": (
            lambda w, job=job: {"import_id": getattr(w, job).pk}
        )
        for model, job in (("mentorprofile", "mentor_import"), ("studentprofile", "student_import"))
        for view in ("", "_progress", "_confirm")
    },
    "admin:mentorship_matchingrun_move": lambda w: {"run_id": w.run.pk},
    "admin:mentorship_matchingrun_commit": lambda w: {"run_id": w.run.pk},
    "admin:assessments_evaluation_evidence": lambda w: {
        "cycle_id": w.past_cycle.pk,
        "score_id": w.score.pk,
    },
    "admin:assessments_evaluation_export_csv": lambda w: {
        "cycle_id": w.past_cycle.pk,
        "tab": "students",
    },
    "admin:assessments_award_decide": lambda w: {"cycle_id": w.past_cycle.pk},
    "admin:assessments_award_add_award": lambda w: {
        "cycle_id": w.past_cycle.pk,
        "category_id": w.award_category.pk,
    },
}
# Admin pages of a cycle work on the cycle in the stage they are for: recruiting
# and matching on next year's (selection), evaluation and after on last year's.
CYCLE_BY_PREFIX = {
    "admin:mentorship_matchingrun_": "next_cycle",
    "admin:mentorship_engagement_": "next_cycle",
    "admin:assessments_award_": "past_cycle",
    "admin:assessments_evaluation_": "past_cycle",
    "admin:assessments_judgment_": "past_cycle",
    "admin:assessments_surveyresponse_": "past_cycle",
}
# Students and mentors choose in next year's selection.
KWARGS_BY_ARGUMENT = {
    "enrollment": lambda w: w.next_enrollment.pk,
    "engagement": lambda w: w.next_engagement.pk,
    "cycle_id": lambda w: w.cycle.pk,
    "url": lambda w: "no-such-page/",
}
# The program A object behind each admin model's change, history and delete pages.
ADMIN_OBJECTS = {
    "auth.group": lambda w: w.auth_group,
    "sites.site": lambda w: w.site,
    "account.emailaddress": lambda w: w.email_address,
    "mentorship.notification": lambda w: w.notification,
    "programs.program": lambda w: w.program,
    "programs.cycle": lambda w: w.cycle,
    "mentorship.matchingrun": lambda w: w.run,
    "mentorship.match": lambda w: w.match,
    "mentorship.studentpreference": lambda w: w.student_preference,
    "mentorship.mentorpreference": lambda w: w.mentor_preference,
    "mentorship.opportunity": lambda w: w.opportunity,
    "mentorship.mentorprofile": lambda w: w.mentor.mentor_profile,
    "mentorship.studentprofile": lambda w: w.student.student_profile,
    "mentorship.rosterentry": lambda w: w.roster_entry,
    "mentorship.guest": lambda w: w.guest,
    "mentorship.user": lambda w: w.student,
    "mentorship.staffrole": lambda w: w.coordinator_role,
    "mentorship.engagement": lambda w: w.engagement,
    "mentorship.enrollment": lambda w: w.enrollment,
    "mentorship.group": lambda w: w.team,
    "mentorship.groupmembership": lambda w: w.membership,
    "sessions_app.activity": lambda w: w.activity,
    "sessions_app.meeting": lambda w: w.meeting,
    "assessments.award": lambda w: w.award,
    "assessments.leveldescriptor": lambda w: w.level_descriptor,
    "assessments.selfassessment": lambda w: w.self_assessment,
    "assessments.mentorrating": lambda w: w.mentor_rating,
    "assessments.requirement": lambda w: w.requirement,
    "assessments.submission": lambda w: w.submission,
    "assessments.evaluation": lambda w: w.evaluation,
    "assessments.judgment": lambda w: w.judgment,
    "assessments.surveyresponse": lambda w: w.survey_response,
}


# Query strings a URL needs to be more than a refusal.
QUERIES = {
    "admin:autocomplete": {
        "app_label": "mentorship",
        "model_name": "groupmembership",
        "field_name": "student",
    },
}


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


class Unfillable(LookupError):
    """The tables above do not say how to fill this route's arguments."""


def route_kwargs(route, w):
    if route.model_label is not None:
        if "object_id" not in route.kwarg_names:
            return {}
        if route.model_label not in ADMIN_OBJECTS:
            raise Unfillable(f"no object for admin model {route.model_label}")
        return {"object_id": ADMIN_OBJECTS[route.model_label](w).pk}
    if route.key in KWARGS_BY_NAME:
        return KWARGS_BY_NAME[route.key](w)
    for prefix, cycle in CYCLE_BY_PREFIX.items():
        if route.kwarg_names == ("cycle_id",) and (route.name or "").startswith(prefix):
            return {"cycle_id": getattr(w, cycle).pk}
    missing = [name for name in route.kwarg_names if name not in KWARGS_BY_ARGUMENT]
    if missing:
        raise Unfillable(f"{route.key}: no value for {', '.join(missing)}")
    return {name: KWARGS_BY_ARGUMENT[name](w) for name in route.kwarg_names}


def route_url(route, w):
    kwargs = route_kwargs(route, w)
    if route.name:
        return reverse(route.name, kwargs=kwargs)
    return _fill(route.pattern, kwargs)


def _fill(pattern, kwargs):
    """The nameless patterns ("<path:object_id>/", "(?P<url>.*)$") by hand."""
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m[1]]), pattern)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m[1]]), url)
    return "/" + url.replace("^", "").replace("$", "")
