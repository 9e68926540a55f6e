"""The steering group's judging in the admin.

The judgments list (admin → Judgments) opens with the cycles to judge and
each steering member's progress. A steering member scores on the cycle's
judging page; anyone who may see the program reads the cycle's overview.
Before finalization a judge sees only their own judgments and everyone else
only how many judges scored; after it, everyone sees every judgment. The
plain admin never adds, changes or deletes a judgment.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from mentorship.admin_matching import ReadOnlyScopedAdmin
from mentorship.admin_scopes import scoped_cycle
from programs.admin_scoping import VIEW, CycleListFilter, ProgramListFilter, program_ids
from programs.http import parse_id
from programs.models import AwardSubject, Cycle, Stage

from . import judging_page as page
from .evaluation_review import display_name
from .forms_judging import JudgingForm, posted_subject_ids
from .judging import (
    JudgingError,
    closed_reason,
    evaluation_of,
    is_judge,
    judged_criteria,
    judging_progress,
    save_judgments,
    steered_program_ids,
)
from .models import Evaluation, EvaluationStatus, Judgment

JUDGED_STAGES = (Stage.EVALUATION, Stage.REWARD, Stage.CLOSED)
KIND_LABELS = {
    AwardSubject.STUDENT: gettext_lazy("Students"),
    AwardSubject.MENTOR: gettext_lazy("Mentors"),
    AwardSubject.GROUP: gettext_lazy("Groups"),
}


@admin.register(Judgment)
class JudgmentAdmin(ReadOnlyScopedAdmin):
    program_lookup = "evaluation__cycle__program"
    cycle_lookup = "evaluation__cycle"
    str_select_related = (
        "evaluation__cycle__program",
        "criterion",
        "judge",
        "enrollment__student__user",
        "engagement__mentor__user",
        "group",
    )
    list_display = ("cycle", "criterion", "subject_name", "judge", "score", "updated_at")
    list_filter = (ProgramListFilter, CycleListFilter, "subject")
    search_fields = (
        "enrollment__student__user__full_name",
        "engagement__mentor__user__full_name",
        "group__name",
    )
    fields = ("evaluation", "criterion", "subject_name", "judge", "score", "comment", "updated_at")
    readonly_fields = fields
    change_list_template = "admin/assessments/judgment/change_list.html"

    def get_queryset(self, request):
        # Before finalization a judge's rows are theirs alone to see.
        mine_or_final = Q(evaluation__status=EvaluationStatus.FINALIZED) | Q(judge=request.user)
        return super().get_queryset(request).filter(mine_or_final)

    @admin.display(description=gettext_lazy("cycle"), ordering="evaluation__cycle")
    def cycle(self, obj):
        return obj.evaluation.cycle

    @admin.display(description=gettext_lazy("judged"))
    def subject_name(self, obj):
        return display_name(obj.subject_object)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("cycle/<int:cycle_id>/", wrap(self.judge_view), name=f"{name}_judge"),
            path(
                "cycle/<int:cycle_id>/overview/",
                wrap(require_GET(self.overview_view)),
                name=f"{name}_overview",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"judging_cycles": self._judging_cycles(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def _judging_cycles(self, request):
        cycles = (
            Cycle.objects.filter(stage__in=JUDGED_STAGES)
            .select_related("program", "evaluation")
            .order_by("program__name", "-starts_on")
        )
        visible = program_ids(request, VIEW)
        if visible is not None:
            cycles = cycles.filter(program__in=visible)
        steered = steered_program_ids(request.user)
        entries = []
        for cycle in cycles:
            evaluation = getattr(cycle, "evaluation", None) or Evaluation(cycle=cycle)
            judge = cycle.program_id in steered
            # "N to score" only while scoring is open: a closed cycle has nothing left to do.
            scoring = judge and closed_reason(cycle, evaluation) is None
            progress = judging_progress(evaluation, request.user) if scoring else None
            entries.append(
                {
                    "cycle": cycle,
                    "evaluation": evaluation,
                    "progress": progress,
                    "judge_url": self._url("judge", cycle) if judge else None,
                    "overview_url": self._url("overview", cycle),
                }
            )
        return entries

    def _url(self, view, cycle):
        return reverse(f"{self.admin_site.name}:assessments_judgment_{view}", args=[cycle.pk])

    def judge_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        if not is_judge(request.user, cycle.program):
            raise PermissionDenied
        return self._page(request, cycle, judging=True)

    def overview_view(self, request, cycle_id):
        return self._page(request, scoped_cycle(self, request, cycle_id, change=False))

    def _page(self, request, cycle, *, judging=False):
        evaluation = evaluation_of(cycle)
        criteria = list(judged_criteria(cycle.program))
        kinds = [k for k in KIND_LABELS if any(c.subject == k for c in criteria)]
        kind = request.GET.get("kind") if request.GET.get("kind") in kinds else None
        kind = kind or (kinds[0] if kinds else None)
        reason = closed_reason(cycle, evaluation)
        state = {
            "cycle": cycle,
            "kinds": kinds,
            "evaluation": evaluation,
            "judging": judging,
            "kind": kind,
            "criteria": [c for c in criteria if c.subject == kind],
            "search": request.GET.get("q", "").strip(),
            "todo": judging and request.GET.get("todo") == "1",
            "editable": judging and reason is None,
        }
        if request.method == "POST":
            if not state["editable"]:
                messages.error(request, reason)
                return HttpResponseRedirect(request.get_full_path())
            return self._save(request, state)
        return self._render(request, state, reason)

    def _save(self, request, state):
        ids = posted_subject_ids(request.POST)
        subjects = list(page.subjects(state["cycle"], state["kind"]).filter(pk__in=ids))
        subject_ids = [s.pk for s in subjects]
        mine = page.judgments_of(
            state["evaluation"], state["kind"], subject_ids, judge=request.user
        )
        form = self._form(state, subject_ids, mine, request.POST)
        if not form.is_valid():
            # Not paging on either: the marked scores would be left behind.
            messages.error(request, _("Nothing on this page was saved: correct the marked scores."))
            return self._render(request, state, None, form=form, subjects=subjects)
        # Paging buttons post the page first: what was typed is saved, not left behind.
        goto = parse_id(request.POST.get("goto", ""))
        try:
            saved, withdrawn = save_judgments(
                evaluation=state["evaluation"], judge=request.user, rows=form.changed_rows()
            )
        except JudgingError as error:
            messages.error(request, str(error))
            goto = None
        else:
            if saved or withdrawn:
                messages.success(request, saved_message(saved, withdrawn))
            elif goto is None:
                messages.info(request, _("Nothing to save: no score was typed or changed."))
        if goto is None:
            return HttpResponseRedirect(request.get_full_path())
        query = request.GET.copy()
        query["page"] = goto
        return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")

    def _form(self, state, subject_ids, mine, data=None):
        return JudgingForm(
            data,
            subject_ids=subject_ids,
            criteria=state["criteria"],
            mine={key: rows[0] for key, rows in mine.items()},
        )

    def _render(self, request, state, reason, *, form=None, subjects=None):
        cycle, evaluation, kind = state["cycle"], state["evaluation"], state["kind"]
        page_obj = rows = None
        if kind:
            queryset = page.subjects(cycle, kind, search=state["search"])
            if state["todo"]:
                queryset = page.left_to_score(
                    queryset,
                    kind,
                    evaluation=evaluation,
                    judge=request.user,
                    criteria=state["criteria"],
                )
            page_obj = page.paginate(queryset, request.GET.get("page"))
            subjects = list(page_obj) if subjects is None else subjects
            shown = self._shown(request, state, [s.pk for s in subjects])
            if state["editable"] and form is None:
                form = self._form(state, [s.pk for s in subjects], shown["mine"])
            rows = page.build_rows(subjects, kind, state["criteria"], form=form, **shown)
        query = {"kind": kind or "", "q": state["search"], **({"todo": 1} if state["todo"] else {})}
        context = {
            **self.admin_site.each_context(request),
            **state,
            "opts": self.opts,
            "title": (_("Judging: %(cycle)s") if state["judging"] else _("Judgments: %(cycle)s"))
            % {"cycle": cycle},
            "reason": reason,
            "finalized": evaluation.is_final,
            "kinds": [
                (k, KIND_LABELS[k], "?" + urlencode({**query, "kind": k, "page": 1}))
                for k in state["kinds"]
            ],
            "page_obj": page_obj,
            "page_query": urlencode(query),
            "rows": rows,
            "form": form,
            "progress": judging_progress(evaluation, request.user) if state["judging"] else None,
            "overview_url": self._url("overview", cycle),
            "judge_url": self._url("judge", cycle)
            if state["judging"] or is_judge(request.user, cycle.program)
            else None,
        }
        return TemplateResponse(request, "admin/assessments/judgment/judging.html", context)

    def _shown(self, request, state, subject_ids):
        """What of the judgments the reader may see: all once finalized; before,
        a judge their own and anyone else how many judges scored."""
        evaluation, kind = state["evaluation"], state["kind"]
        if evaluation.is_final:
            return {"everyone": page.judgments_of(evaluation, kind, subject_ids)}
        if state["judging"]:
            return {"mine": page.judgments_of(evaluation, kind, subject_ids, judge=request.user)}
        return {"counts": page.judge_counts(evaluation, kind, subject_ids)}


def saved_message(saved, withdrawn):
    text = ngettext("%(count)d judgment saved.", "%(count)d judgments saved.", saved) % {
        "count": saved
    }
    if withdrawn:
        text += " " + ngettext(
            "%(count)d judgment withdrawn.", "%(count)d judgments withdrawn.", withdrawn
        ) % {"count": withdrawn}
    return text
