"""The "Teams of mentors" page on a cycle, part of the group admin.

Coordinators of the program see the suggested (or saved) teams and save them;
steering members of the program see them read-only; anyone else gets 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from programs.admin_scoping import CHANGE, VIEW, program_ids
from programs.http import parse_number
from programs.models import Cycle

from .forms_groups import TeamsForm
from .group_rules import rule_for
from .team_forming import (
    TEAM_KIND,
    TeamError,
    attach_students,
    current_slots,
    matched_engagements,
    save_teams,
    team_groups,
)

# Teams shown (and posted) at once: a page's fields stay far below the
# request's field limit (DATA_UPLOAD_MAX_NUMBER_FIELDS) whatever the cycle's size.
TEAMS_PER_PAGE = 10


def _scoped_cycle(request, cycle_id, *, change):
    cycle = get_object_or_404(Cycle.objects.select_related("program"), pk=cycle_id)
    for purpose, refuse in ((VIEW, Http404), (CHANGE, PermissionDenied)):
        ids = program_ids(request, purpose)
        if purpose == CHANGE and not change:
            break
        if ids is not None and cycle.program_id not in ids:
            raise refuse
    return cycle


class TeamsAdminMixin:
    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_teams"
        view = self.admin_site.admin_view(self.teams_view)
        return [path("cycle/<int:cycle_id>/teams/", view, name=name), *super().get_urls()]

    def teams_view(self, request, cycle_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        if posted and not self.has_change_permission(request):
            raise PermissionDenied
        cycle = _scoped_cycle(request, cycle_id, change=posted)
        rule = rule_for(program_id=cycle.program_id, kind=TEAM_KIND)
        engagements = matched_engagements(cycle)
        # Saving needs every member; showing, only the mentors of the teams.
        groups = team_groups(cycle, everyone=posted)
        slots, unplaced = current_slots(engagements, groups, rule, fresh="suggest" in request.GET)
        page = team_page(slots, request.GET)
        shown = [slot.number for slot in page]
        form = TeamsForm(
            request.POST if posted else None,
            slots=slots,
            shown=shown,
            unplaced=unplaced,
            groups=groups,
        )
        attach_students(engagements if posted else [e for _n, e, _f in form.rows])
        if posted and rule is not None and form.is_valid():
            try:
                warnings = save_teams(
                    cycle=cycle,
                    groups=groups,
                    engagements=engagements,
                    assignment=form.assignment(),
                    names=form.names(),
                    by=request.user,
                )
            except TeamError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The teams are saved."))
                for warning in warnings:
                    messages.warning(request, warning)
                return HttpResponseRedirect(f"{request.path}?page={page.number}")
        changeable = program_ids(request, CHANGE)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Teams of mentors of %(cycle)s") % {"cycle": cycle},
            "cycle": cycle,
            "rule": rule,
            "form": form,
            "page": page,
            "slots": slots,
            "new_team": len(slots) + 1,
            "saved": bool(groups),
            "unplaced": unplaced,
            "can_save": rule is not None
            and self.has_change_permission(request)
            and (changeable is None or cycle.program_id in changeable),
            "suggest_url": f"{request.path}?suggest=1",
            "suggesting": "suggest" in request.GET,
            "group_url": reverse(f"{self.admin_site.name}:mentorship_group_changelist"),
        }
        return TemplateResponse(request, "admin/mentorship/group/teams.html", context)


def team_page(slots, query):
    """The page of ``slots`` to show: ``team`` (a team number) picks the page
    holding it, else ``page``; TEAMS_PER_PAGE teams a page."""
    paginator = Paginator(slots, TEAMS_PER_PAGE)
    team = parse_number(query.get("team", ""), maximum=max(len(slots), 1))
    number = (team - 1) // TEAMS_PER_PAGE + 1 if team else query.get("page")
    return paginator.get_page(number)
