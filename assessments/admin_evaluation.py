"""A cycle's evaluation in the admin: compute it, follow the computation,
review the standings of students, mentors and groups with each criterion,
drill down from a figure to its evidence, check who is missing which
required deliverable, finalize and download (admin_evaluation_final).

Coordinators compute and finalize (in the evaluation stage, until
finalized); steering members look. Before finalization, only coordinators see the judged figures:
a judge must not learn the other judges' scores.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from mentorship.admin_scopes import scoped_cycle
from programs.admin_scoping import (
    CHANGE,
    CycleListFilter,
    ProgramListFilter,
    ProgramScopedAdmin,
    program_ids,
)
from programs.evaluation_rules import Measure
from programs.models import AwardSubject, Stage
from programs.tasks_util import enqueue, forget_queue_failures

from .admin_evaluation_final import FinalizeAndExportViews
from .evaluation import (
    EvaluationError,
    computation_not_queued,
    prepare_computation,
    same_figure,
)
from .evaluation_evidence import EXPLAINED, evidence_for
from .evaluation_review import (
    CASE_LABELS,
    DEFAULT_SORT,
    completion_page,
    criteria_of,
    display_name,
    hidden_columns,
    score_case,
    sort_links,
    standings_page,
)
from .models import Evaluation, EvaluationStatus, Score
from .tasks import compute_evaluation_task

TABS = {
    "students": (AwardSubject.STUDENT, gettext_lazy("Students")),
    "mentors": (AwardSubject.MENTOR, gettext_lazy("Mentors")),
    "groups": (AwardSubject.GROUP, gettext_lazy("Groups")),
    "completion": (None, gettext_lazy("Completion check")),
}


@admin.register(Evaluation)
class EvaluationAdmin(FinalizeAndExportViews, ProgramScopedAdmin):
    TABS = TABS
    program_lookup = "cycle__program"
    cycle_lookup = "cycle"
    str_select_related = ("cycle__program",)
    list_display = (
        "cycle",
        "status",
        "computed_at",
        "computed_by",
        "finalized_at",
        "evaluation_page",
    )
    list_filter = (ProgramListFilter, CycleListFilter, "status")
    readonly_fields = ("evaluation_page",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("computed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("Evaluation page"))
    def evaluation_page(self, evaluation):
        return format_html(
            '<a href="{}">{}</a>', self._url("cycle", evaluation.cycle_id), _("Open")
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("cycle/<int:cycle_id>/", wrap(self.review_view), name=self._name("cycle")),
            path(
                "cycle/<int:cycle_id>/compute/",
                wrap(require_POST(self.compute_view)),
                name=self._name("compute"),
            ),
            path(
                "cycle/<int:cycle_id>/progress/",
                wrap(self.progress_view),
                name=self._name("progress"),
            ),
            path(
                "cycle/<int:cycle_id>/scores/<int:score_id>/",
                wrap(self.evidence_view),
                name=self._name("evidence"),
            ),
            *self.final_urls(),
            *super().get_urls(),
        ]

    def _name(self, view):
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def _url(self, view, *args):
        return reverse(f"{self.admin_site.name}:{self._name(view)}", args=args)

    def _page(self, request, cycle):
        """What every page of the evaluation shares."""
        evaluation = Evaluation.objects.filter(cycle=cycle).select_related("computed_by").first()
        changeable = program_ids(request, CHANGE)
        may_change = changeable is None or cycle.program_id in changeable
        final = evaluation is not None and evaluation.is_final
        return evaluation, {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "cycle": cycle,
            "evaluation": evaluation,
            "may_change": may_change,
            "can_compute": may_change and cycle.stage == Stage.EVALUATION and not final,
            "hide_judged": not (may_change or final),
            "page_url": self._url("cycle", cycle.pk),
            "compute_url": self._url("compute", cycle.pk),
            "progress_url": self._url("progress", cycle.pk),
        }

    def review_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        evaluation, context = self._page(request, cycle)
        tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "students"
        subject = TABS[tab][0]
        context.update(
            title=_("Evaluation of %(cycle)s") % {"cycle": cycle},
            tabs=[(key, label) for key, (_subject, label) in TABS.items()],
            tab=tab,
            **self.final_context(cycle, evaluation, context),
        )
        if subject is None:
            requirements, page = completion_page(cycle, page=request.GET.get("page"))
            context.update(requirements=requirements, page=page)
        elif evaluation is not None and evaluation.computed_at:
            criteria = criteria_of(cycle, subject)
            hidden = hidden_columns(criteria, context["hide_judged"])
            page, sort = standings_page(
                evaluation,
                subject,
                criteria,
                sort=request.GET.get("sort", DEFAULT_SORT),
                page=request.GET.get("page"),
                hidden=hidden,
            )
            context.update(
                criteria=criteria, page=page, sort=sort, heads=sort_links(criteria, sort, hidden)
            )
        return TemplateResponse(request, "admin/assessments/evaluation/review.html", context)

    def compute_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=True)
        try:
            evaluation = prepare_computation(cycle=cycle)
        except EvaluationError as error:
            messages.error(request, str(error))
        else:
            # With the embedded default this runs in-process once the request
            # commits, which outside a transaction is at once: say it is done.
            pending = enqueue(
                compute_evaluation_task, evaluation_id=evaluation.pk, user_id=request.user.pk
            )
            if pending.queued is False:
                # The sweep queues it once the broker is back; this page says so.
                computation_not_queued(evaluation)
                forget_queue_failures()
            evaluation.refresh_from_db(fields=["status", "error"])
            if evaluation.error:
                # A failed run leaves the status as the earlier rows are.
                messages.error(request, evaluation.error)
            elif evaluation.status == EvaluationStatus.COMPUTED:
                messages.success(request, _("The evaluation is computed."))
            elif evaluation.status == EvaluationStatus.COMPUTING:
                messages.success(request, _("The computation has started."))
        return HttpResponseRedirect(self._url("cycle", cycle.pk))

    def progress_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        evaluation, context = self._page(request, cycle)
        if evaluation is None or evaluation.status != EvaluationStatus.COMPUTING:
            # Done: the whole page reloads to show the new figures.
            return HttpResponseClientRefresh()
        return TemplateResponse(request, "admin/assessments/evaluation/_progress.html", context)

    def evidence_view(self, request, cycle_id, score_id):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        evaluation, context = self._page(request, cycle)
        score = get_object_or_404(
            Score.objects.select_related(
                "criterion", "enrollment__student__user", "engagement__mentor__user", "group"
            ),
            pk=score_id,
            evaluation__cycle=cycle,
        )
        hidden = score.criterion.measure == Measure.JUDGED and context["hide_judged"]
        evidence = None if hidden else evidence_for(evaluation, score)
        context.update(
            title=_("%(criterion)s: %(subject)s")
            % {"criterion": score.criterion.label, "subject": display_name(score.subject_object)},
            score=score,
            case_label=CASE_LABELS.get(score_case(score, score.criterion.measure), ""),
            hidden=hidden,
            explained=EXPLAINED[score.criterion.measure],
            evidence=evidence,
            matches=hidden or same_figure(evidence.figure, score.raw),
            back_url=f"{self._url('cycle', cycle.pk)}?tab={_tab_of(score.subject)}",
        )
        return TemplateResponse(request, "admin/assessments/evaluation/evidence.html", context)


def _tab_of(subject):
    return next(key for key, (kind, _label) in TABS.items() if kind == subject)
