"""A cycle's awards in the admin: the candidates of each category in rank
order, the steering group's decisions, and publication.

Coordinators and steering members propose (again) from the ranking;
steering members confirm, decline or add with a reason; coordinators publish,
after a confirmation page. A coordinator sees the decisions but a decision
posted by anyone outside the steering group is refused (403): the design
gives the choice of recipients to the steering group alone.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from mentorship.admin_matching import ReadOnlyScopedAdmin
from mentorship.admin_scopes import scoped_cycle
from programs.admin_scoping import CHANGE, CycleListFilter, ProgramListFilter, program_ids
from programs.confirmation import confirm
from programs.http import parse_id
from programs.models import AwardCategory

from . import awards_page as page
from .awards import (
    AwardError,
    add_award,
    closed_reason,
    decide_awards,
    propose_awards,
    publish_awards,
)
from .awards_recipients import RELATED as AWARD_RELATED
from .confirmations import publish_confirmation
from .evaluation_review import RELATED as SUBJECT_RELATED
from .evaluation_review import display_name
from .forms_awards import (
    DECISIONS_FORM,
    AddAwardForm,
    DecisionForm,
    PageDecisions,
    posted_award_ids,
)
from .judging import is_judge
from .models import Award, AwardDecision, Evaluation


@admin.register(Award)
class AwardAdmin(ReadOnlyScopedAdmin):
    program_lookup = "evaluation__cycle__program"
    cycle_lookup = "evaluation__cycle"
    str_select_related = AWARD_RELATED
    list_display = ("cycle", "category", "recipient", "decision", "published_at", "awards_page")
    list_filter = (ProgramListFilter, CycleListFilter, "decision", "subject")
    search_fields = (
        "enrollment__student__user__full_name",
        "engagement__mentor__user__full_name",
        "group__name",
    )

    @admin.display(description=gettext_lazy("cycle"), ordering="evaluation__cycle")
    def cycle(self, award):
        return award.evaluation.cycle

    @admin.display(description=gettext_lazy("recipient"))
    def recipient(self, award):
        return display_name(award.subject_object)

    @admin.display(description=gettext_lazy("Awards page"))
    def awards_page(self, award):
        url = self._url("cycle", award.evaluation.cycle_id)
        return format_html('<a href="{}">{}</a>', url, _("Open"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        views = {
            "cycle": ("cycle/<int:cycle_id>/", self.page_view),
            "propose": ("cycle/<int:cycle_id>/propose/", require_POST(self.propose_view)),
            "decide": ("cycle/<int:cycle_id>/decide/", require_POST(self.decide_view)),
            # Apart from "add" and add_view, which serve the admin's own add page.
            "add_award": (
                "cycle/<int:cycle_id>/add/<int:category_id>/",
                require_POST(self.add_award_view),
            ),
            "publish": ("cycle/<int:cycle_id>/publish/", self.publish_view),
        }
        routes = [
            path(route, wrap(view), name=self._name(key)) for key, (route, view) in views.items()
        ]
        return [*routes, *super().get_urls()]

    def _name(self, view):
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def _url(self, view, *args):
        return reverse(f"{self.admin_site.name}:{self._name(view)}", args=args)

    def _state(self, request, cycle):
        evaluation = Evaluation.objects.filter(cycle=cycle).select_related("cycle").first()
        changeable = program_ids(request, CHANGE)
        reason = closed_reason(evaluation) if evaluation else _("This cycle has no evaluation.")
        return {
            "cycle": cycle,
            "evaluation": evaluation,
            "reason": reason,
            "open": reason is None,
            "coordinator": changeable is None or cycle.program_id in changeable,
            "judge": is_judge(request.user, cycle.program),
        }

    def page_view(self, request, cycle_id, *, bound=None):
        """``bound``: a posted form with errors, keyed as the page keys its forms."""
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        return self._render(request, self._state(request, cycle), bound or {})

    def _render(self, request, state, bound, status=200):
        cycle, evaluation = state["cycle"], state["evaluation"]
        categories = list(AwardCategory.objects.filter(program=cycle.program_id))
        deciding = state["open"] and state["judge"]
        search = request.GET.get("q", "").strip()
        filters = _filters(request.GET, categories)
        page_obj, blocks, unpublished = None, [], 0
        if evaluation:
            page_obj = page.page_of(evaluation, request.GET.get("page"), **filters)
            # After a refused save, the rows posted (marked), whatever the page holds now.
            posted = [key for key in bound if isinstance(key, int)]
            shown = page.ranked(evaluation).filter(pk__in=posted) if posted else page_obj
            blocks = page.blocks(evaluation, categories, page.named(shown))
            unpublished = page.unpublished_count(evaluation)
        pending = sum(block.pending for block in blocks)
        if filters["category"] is not None:
            blocks = [block for block in blocks if block.category.pk == filters["category"]]
        for block in blocks:
            for award in block.awards:
                # A published award keeps its decision and citation: nothing to decide.
                award.form = bound.get(award.pk) or (
                    DecisionForm.for_award(award)
                    if deciding and award.published_at is None
                    else None
                )
            # One category's choices at a time (a page narrowed to it, or the
            # one just posted): each is a query and a hundred options.
            posted_add = bound.get(("add", block.category.pk))
            if deciding and (posted_add or block.category.pk == filters["category"]):
                block.add_form = posted_add or AddAwardForm(
                    category=block.category,
                    choices=page.addable(evaluation, block.category, search),
                )
        kept = _query(request.GET, page=None)  # the filters and search, for the pager
        here = _query(request.GET)  # and the page: forms post back to it
        context = {
            **self.admin_site.each_context(request),
            **state,
            "opts": self.opts,
            "title": _("Awards of %(cycle)s") % {"cycle": cycle},
            "blocks": blocks,
            "categories": categories,
            "decisions": AwardDecision.choices,
            "filters": filters,
            "page_obj": page_obj,
            "page_query": kept,
            "here": here,
            "deciding": deciding,
            "search": search,
            "pending": pending,
            "unpublished": unpublished,
            "page_url": self._url("cycle", cycle.pk),
            "propose_url": self._url("propose", cycle.pk),
            "publish_url": self._url("publish", cycle.pk),
            "decide_url": self._url("decide", cycle.pk),
            "decisions_form": DECISIONS_FORM,
        }
        return TemplateResponse(
            request, "admin/assessments/award/awards.html", context, status=status
        )

    def _back(self, cycle, query=None, **changes):
        """To the awards page, with ``query``'s filters and page (``changes`` applied)."""
        url = self._url("cycle", cycle.pk)
        text = _query(query, **changes) if query is not None else ""
        return HttpResponseRedirect(f"{url}?{text}" if text else url)

    def propose_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        state = self._state(request, cycle)
        if not (state["coordinator"] or state["judge"]):
            raise PermissionDenied
        try:
            added = propose_awards(evaluation=_evaluation(state), by=request.user)
        except AwardError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d candidate proposed from the ranking.",
                    "%(count)d candidates proposed from the ranking.",
                    added,
                )
                % {"count": added},
            )
        return self._back(cycle)

    def _judging_state(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        state = self._state(request, cycle)
        if not state["judge"]:
            raise PermissionDenied
        if state["evaluation"] is None:
            raise Http404(_("This cycle has no evaluation."))
        return cycle, state

    def decide_view(self, request, cycle_id):
        """Every row of the page's decisions form that was changed, all or none."""
        cycle, state = self._judging_state(request, cycle_id)
        if not state["open"]:
            messages.error(request, state["reason"])
            return self._back(cycle)
        # Only the page's rows are posted: the candidates of other pages are not read.
        ids = posted_award_ids(request.POST)
        # With the names a late row's message shows: a fixed number of queries.
        awards = Award.objects.filter(evaluation=state["evaluation"], pk__in=ids).select_related(
            *SUBJECT_RELATED.values()
        )
        decisions = PageDecisions(
            [a for a in awards if a.published_at is None],
            request.POST,
            published=[a for a in awards if a.published_at is not None],
        )
        if decisions.late:
            messages.warning(request, late_message(decisions.late))
        # Paging buttons post the page first: what was typed is saved, not left behind.
        goto = parse_id(request.POST.get("goto", ""))
        moved = {"page": goto} if goto else {}
        if decisions.is_valid():
            changed = decisions.changed()
            if not changed:
                if not goto:
                    messages.info(request, _("Nothing to save: no decision was changed."))
                return self._back(cycle, request.GET, **moved)
            try:
                saved = decide_awards(decisions=changed, by=request.user)
            except AwardError as error:
                if not decisions.refused(error):
                    messages.error(request, str(error))
                    return self._back(cycle, request.GET)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d decision saved.", "%(count)d decisions saved.", saved)
                    % {"count": saved},
                )
                if goto:
                    moved["page"] = _next_page(request.GET, goto, changed)
                return self._back(cycle, request.GET, **moved)
        wrong = len(decisions.wrong())
        messages.error(
            request,
            ngettext(
                "Nothing was saved: %(count)d candidate needs a correction (marked).",
                "Nothing was saved: %(count)d candidates need a correction (marked).",
                wrong,
            )
            % {"count": wrong},
        )
        return self._render(request, state, decisions.forms, status=400)

    def add_award_view(self, request, cycle_id, category_id):
        cycle, state = self._judging_state(request, cycle_id)
        category = get_object_or_404(AwardCategory, pk=category_id, program=cycle.program_id)
        choices = page.addable(state["evaluation"], category, request.GET.get("q", "").strip())
        form = AddAwardForm(request.POST, category=category, choices=choices)
        if form.is_valid():
            try:
                add_award(
                    evaluation=state["evaluation"],
                    category=category,
                    subject_id=form.cleaned_data["subject"],
                    reason=form.cleaned_data["reason"],
                    citation=form.cleaned_data["citation"],
                    by=request.user,
                )
            except AwardError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, _("Recipient added."))
                return self._back(cycle, request.GET)
        messages.error(request, _("Nobody was added: see the marked form."))
        return self._render(request, state, {("add", category.pk): form}, status=400)

    def publish_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=True)
        state = self._state(request, cycle)

        def perform(choices):
            try:
                count = publish_awards(evaluation=_evaluation(state), by=request.user)
            except AwardError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d award published: its recipient is notified.",
                        "%(count)d awards published: their recipients are notified.",
                        count,
                    )
                    % {"count": count},
                )
            return self._back(cycle)

        confirmation = publish_confirmation(
            cycle, state["evaluation"], state["reason"], back_url=self._url("cycle", cycle.pk)
        )
        context = {**self.admin_site.each_context(request), "opts": self.opts, "cycle": cycle}
        return confirm(request, confirmation, perform=perform, context=context)


def _filters(query, categories):
    """The page's narrowing from its query string: a category of the program
    and a decision, each None (everything) unless valid."""
    category = parse_id(query.get("category", ""))
    decision = query.get("decision", "")
    return {
        "category": category if any(c.pk == category for c in categories) else None,
        "decision": decision if decision in AwardDecision.values else None,
    }


def _next_page(query, goto, changed):
    """The page number ``goto`` points at once ``changed`` is saved: under a
    decision filter the rows decided otherwise leave the list, and the
    candidates after them move up as many places (``query``: the page's GET)."""
    decision, current = query.get("decision"), parse_id(query.get("page", "")) or 1
    if decision not in AwardDecision.values or goto <= current:
        return goto
    left = sum(values["decision"] != decision for _award, values in changed)
    return (current * page.PER_PAGE - left) // page.PER_PAGE + 1


def _query(query, **changes):
    """``query`` (the page's GET) as a query string of what the page keeps
    (filters, search, page), with ``changes`` (None drops a key)."""
    kept = {key: query[key] for key in ("category", "decision", "q", "page") if query.get(key)}
    kept.update(changes)
    return urlencode({key: value for key, value in kept.items() if value is not None})


def late_message(awards):
    names = ", ".join(display_name(award.subject_object) for award in awards)
    return ngettext(
        "Not saved for %(names)s: the award was published meanwhile, "
        "with the decision and citation shown now.",
        "Not saved for %(names)s: the awards were published meanwhile, "
        "with the decisions and citations shown now.",
        len(awards),
    ) % {"names": names}


def _evaluation(state):
    if state["evaluation"] is None:
        raise AwardError(_("This cycle has no evaluation."))
    return state["evaluation"]
