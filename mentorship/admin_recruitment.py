"""The coordinator's "Mentor recruitment" page on a cycle, part of the
engagement admin: who of the roster is invited, who answered, and the forms
to invite more. Steering members see it and change nothing."""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from programs.admin_scoping import CHANGE, program_ids
from programs.http import parse_id

from .admin_scopes import scoped_cycle
from .forms_recruitment import InviteNewMentorForm
from .models import Engagement, MentorProfile
from .recruitment import (
    RecruitmentError,
    invite_from_roster,
    invite_new_person,
    priority_mentor_ids,
    priority_wait_message,
    priority_window_open,
    recruitment_closed_reason,
    roster_mentors,
)


@dataclass
class RecruitmentRow:
    mentor: MentorProfile
    engagement: Engagement | None
    priority: bool
    invitable: bool


def recruitment_rows(cycle):
    """Every roster mentor of the cycle's program and everyone engaged in the
    cycle, priority mentors first, then by name. Four queries however many."""
    engagements = {
        engagement.mentor_id: engagement
        for engagement in Engagement.objects.filter(cycle=cycle).select_related("invited_by")
    }
    mentors = MentorProfile.objects.filter(
        Q(pk__in=roster_mentors(cycle.program).values("pk"))
        | Q(pk__in=Engagement.objects.filter(cycle=cycle).values("mentor_id"))
    ).select_related("user")
    priority = priority_mentor_ids(cycle)
    window = priority_window_open(cycle)
    rows = [
        RecruitmentRow(
            mentor=mentor,
            engagement=engagements.get(mentor.pk),
            priority=mentor.pk in priority,
            invitable=mentor.pk not in engagements
            and mentor.user.is_active
            and (mentor.pk in priority or not window),
        )
        for mentor in mentors
    ]
    rows.sort(key=lambda row: (not row.priority, row.mentor.user.full_name.lower(), row.mentor.pk))
    return rows


def _tell_outcome(request, outcome, cycle):
    if outcome.invited:
        messages.success(
            request,
            ngettext(
                "%(count)s mentor invited: %(names)s.",
                "%(count)s mentors invited: %(names)s.",
                len(outcome.invited),
            )
            % {
                "count": len(outcome.invited),
                "names": ", ".join(str(e.mentor) for e in outcome.invited),
            },
        )
    if outcome.already:
        messages.info(
            request,
            _("Already invited or engaged in this cycle, left unchanged: %(names)s.")
            % {"names": ", ".join(str(e.mentor) for e in outcome.already)},
        )
    if outcome.unsent:
        messages.error(
            request,
            _("The invitation e-mail could not be sent to: %(names)s. Contact them directly.")
            % {"names": ", ".join(str(e.mentor) for e in outcome.unsent)},
        )
    if outcome.waiting:
        messages.warning(
            request,
            " ".join(
                [
                    priority_wait_message(cycle),
                    _("Not invited yet: %(names)s.")
                    % {"names": ", ".join(str(mentor) for mentor in outcome.waiting)},
                ]
            ),
        )


class RecruitmentAdminMixin:
    """Adds the recruitment page and its two POST views to EngagementAdmin."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "cycle/<int:cycle_id>/recruitment/",
                wrap(self.recruitment_view),
                name=f"{name}_recruitment",
            ),
            path(
                "cycle/<int:cycle_id>/recruitment/invite/",
                wrap(require_POST(self.invite_view)),
                name=f"{name}_invite",
            ),
            path(
                "cycle/<int:cycle_id>/recruitment/invite-new/",
                wrap(require_POST(self.invite_new_view)),
                name=f"{name}_invite_new",
            ),
            *super().get_urls(),
        ]

    def _recruitment_url(self, cycle):
        return reverse(f"{self.admin_site.name}:mentorship_engagement_recruitment", args=[cycle.pk])

    def recruitment_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        return self._render_recruitment(request, cycle)

    def _render_recruitment(self, request, cycle, new_form=None):
        changeable = program_ids(request, CHANGE)
        rows = recruitment_rows(cycle)
        closed = recruitment_closed_reason(cycle)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Mentor recruitment for %(cycle)s") % {"cycle": cycle},
            "cycle": cycle,
            "rows": rows,
            "counts": {
                status: sum(1 for row in rows if row.engagement and row.engagement.status == status)
                for status in ("invited", "accepted", "declined")
            },
            "not_invited": sum(1 for row in rows if row.engagement is None),
            "window_open": priority_window_open(cycle),
            "closed_reason": closed,
            "can_invite": not closed and (changeable is None or cycle.program_id in changeable),
            "new_form": new_form or InviteNewMentorForm(),
        }
        return TemplateResponse(request, "admin/mentorship/engagement/recruitment.html", context)

    def invite_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=True)
        ids = {parse_id(pk) for pk in request.POST.getlist("mentor")}
        if not ids:
            messages.error(request, _("Select at least one mentor to invite."))
            return HttpResponseRedirect(self._recruitment_url(cycle))
        # A value that is no id is no mentor of the roster either.
        mentors = MentorProfile.objects.filter(pk__in=ids - {None})
        if len(mentors) != len(ids):
            messages.error(request, _("Only mentors on the program's roster can be invited."))
            return HttpResponseRedirect(self._recruitment_url(cycle))
        try:
            outcome = invite_from_roster(
                cycle=cycle, mentors=mentors, by=request.user, request=request
            )
        except RecruitmentError as error:
            messages.error(request, str(error))
        else:
            _tell_outcome(request, outcome, cycle)
        return HttpResponseRedirect(self._recruitment_url(cycle))

    def invite_new_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=True)
        form = InviteNewMentorForm(request.POST)
        if form.is_valid():
            try:
                outcome = invite_new_person(
                    cycle=cycle, by=request.user, request=request, **form.cleaned_data
                )
            except RecruitmentError as error:
                form.add_error(error.field, str(error))
            else:
                _tell_outcome(request, outcome, cycle)
                return HttpResponseRedirect(self._recruitment_url(cycle))
        return self._render_recruitment(request, cycle, new_form=form)
