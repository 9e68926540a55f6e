"""The coordinator's "Mentor recruitment" page on a cycle, part of the
engagement admin: who of the roster is invited, who answered, and the forms
to invite more. Steering members see it and change nothing."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Lower
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from programs.admin_scoping import CHANGE, program_ids
from programs.http import parse_id

from .admin_scopes import scoped_cycle
from .forms_recruitment import InviteNewMentorForm, RecruitmentFilterForm
from .models import Engagement, EngagementStatus, MentorProfile
from .recruitment import (
    RecruitmentError,
    invite_from_roster,
    invite_new_person,
    previous_cycle,
    priority_wait_message,
    priority_window_open,
    recruitment_closed_reason,
    roster_mentors,
)

# Mentors shown at once: the page stays small however large the roster.
MENTORS_PER_PAGE = 50

# What the invite form carries back so the coordinator returns to the same page.
KEPT_QUERY = ("q", "status", "page")


@dataclass
class RecruitmentRow:
    mentor: MentorProfile
    engagement: Engagement | None
    priority: bool
    invitable: bool


def recruitment_mentors(cycle):
    """Every roster mentor of the cycle's program and everyone engaged in the cycle."""
    return MentorProfile.objects.filter(
        Q(pk__in=roster_mentors(cycle.program).values("pk"))
        | Q(pk__in=Engagement.objects.filter(cycle=cycle).values("mentor_id"))
    )


def _engaged_here(cycle, **status):
    return Exists(Engagement.objects.filter(cycle=cycle, mentor=OuterRef("pk"), **status))


def recruitment_counts(cycle):
    """The whole cycle's figures, whatever page or filter is shown: one query."""
    return recruitment_mentors(cycle).aggregate(
        not_invited=Count("pk", filter=~_engaged_here(cycle)),
        **{
            status: Count("pk", filter=_engaged_here(cycle, status=status))
            for status in (
                EngagementStatus.INVITED,
                EngagementStatus.ACCEPTED,
                EngagementStatus.DECLINED,
            )
        },
    )


def _filtered(mentors, cycle, *, q, status):
    if q:
        mentors = mentors.filter(Q(user__full_name__icontains=q) | Q(user__email__icontains=q))
    if status == RecruitmentFilterForm.NOT_INVITED:
        mentors = mentors.filter(~_engaged_here(cycle))
    elif status:
        mentors = mentors.filter(_engaged_here(cycle, status=status))
    return mentors


def recruitment_page(cycle, query):
    """The page of recruitment rows that ``query`` (the GET: ``q``, ``status``,
    ``page``) asks for, priority mentors first, then by name; with the filter
    form. Sorted and cut in the database: five queries however many mentors."""
    form = RecruitmentFilterForm(query)
    mentors = recruitment_mentors(cycle)
    if form.is_valid():
        mentors = _filtered(mentors, cycle, **form.cleaned_data)
    earlier = previous_cycle(cycle)
    priority = _engaged_here(earlier, rated_excellent=True) if earlier else Value(False)
    mentors = (
        mentors.select_related("user")
        .annotate(has_priority=priority)
        .order_by("-has_priority", Lower("user__full_name"), "pk")
    )
    page = Paginator(mentors, MENTORS_PER_PAGE).get_page(query.get("page"))
    engagements = {
        engagement.mentor_id: engagement
        for engagement in Engagement.objects.filter(
            cycle=cycle, mentor__in=[mentor.pk for mentor in page]
        ).select_related("invited_by")
    }
    window = priority_window_open(cycle)
    page.object_list = [
        RecruitmentRow(
            mentor=mentor,
            engagement=engagements.get(mentor.pk),
            priority=mentor.has_priority,
            invitable=mentor.pk not in engagements
            and mentor.user.is_active
            and (mentor.has_priority or not window),
        )
        for mentor in page
    ]
    return page, form


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

    def _recruitment_url(self, cycle, kept=None):
        url = reverse(f"{self.admin_site.name}:mentorship_engagement_recruitment", args=[cycle.pk])
        query = urlencode({key: kept[key] for key in KEPT_QUERY if kept and kept.get(key)})
        return f"{url}?{query}" if query else url

    def recruitment_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        return self._render_recruitment(request, cycle)

    def _render_recruitment(self, request, cycle, new_form=None):
        changeable = program_ids(request, CHANGE)
        page, filter_form = recruitment_page(cycle, request.GET)
        closed = recruitment_closed_reason(cycle)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Mentor recruitment for %(cycle)s") % {"cycle": cycle},
            "cycle": cycle,
            "rows": page.object_list,
            "page": page,
            "filter_form": filter_form,
            # Named here: a template lookup of request.GET.items would read a
            # query parameter called "items" first.
            "kept_query": [(key, request.GET[key]) for key in KEPT_QUERY if request.GET.get(key)],
            "counts": recruitment_counts(cycle),
            "window_open": priority_window_open(cycle),
            "closed_reason": closed,
            "can_invite": not closed and (changeable is None or cycle.program_id in changeable),
            "new_form": new_form or InviteNewMentorForm(),
        }
        return TemplateResponse(request, "admin/mentorship/engagement/recruitment.html", context)

    def invite_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=True)
        back = self._recruitment_url(cycle, request.POST)
        ids = {parse_id(pk) for pk in request.POST.getlist("mentor")}
        if not ids:
            messages.error(request, _("Select at least one mentor to invite."))
            return HttpResponseRedirect(back)
        # A value that is no id is no mentor of the roster either.
        mentors = MentorProfile.objects.filter(pk__in=ids - {None})
        if len(mentors) != len(ids):
            messages.error(request, _("Only mentors on the program's roster can be invited."))
            return HttpResponseRedirect(back)
        try:
            outcome = invite_from_roster(cycle=cycle, mentors=mentors, by=request.user)
        except RecruitmentError as error:
            messages.error(request, str(error))
        else:
            _tell_outcome(request, outcome, cycle)
        return HttpResponseRedirect(back)

    def invite_new_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=True)
        form = InviteNewMentorForm(request.POST)
        if form.is_valid():
            try:
                outcome = invite_new_person(cycle=cycle, by=request.user, **form.cleaned_data)
            except RecruitmentError as error:
                form.add_error(error.field, str(error))
            else:
                _tell_outcome(request, outcome, cycle)
                return HttpResponseRedirect(self._recruitment_url(cycle))
        return self._render_recruitment(request, cycle, new_form=form)
