"""Survey responses in the admin: who answered, and the results of a cycle.

The list says who answered and when, never what: answers are read only on the
cycle's results page, in totals and unsigned comments. Coordinators need
names to know who is still missing (the reminder nudges them too); nobody
needs a name beside a comment, and people write more freely when the program
office cannot put one there. Both coordinators and steering members see the
results of their programs; nothing here changes a response.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from mentorship.admin_matching import ReadOnlyScopedAdmin
from mentorship.admin_scopes import scoped_cycle
from programs.admin_scoping import NEWEST_FIRST, CycleListFilter, ProgramListFilter, program_ids
from programs.models import Cycle, Stage

from .models import SurveyResponse
from .survey import survey_open_reason
from .survey_export import survey_csv_response
from .survey_results import survey_results
from .survey_stats import TARGET, survey_figures

# Stages whose survey has opened: their results are worth a link.
SURVEYED_STAGES = (Stage.EVALUATION, Stage.REWARD, Stage.CLOSED)


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyScopedAdmin):
    program_lookup = "cycle__program"
    cycle_lookup = "cycle"
    str_select_related = ("cycle__program", "respondent")
    list_display = ("respondent", "cycle", "audience", "submitted_at")
    list_filter = (ProgramListFilter, CycleListFilter, "audience")
    ordering = NEWEST_FIRST
    fields = ("cycle", "respondent", "audience", "submitted_at")
    search_fields = ("respondent__full_name", "respondent__email")
    change_list_template = "admin/assessments/surveyresponse/change_list.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "cycle/<int:cycle_id>/",
                self.admin_site.admin_view(self.results_view),
                name=f"{name}_results",
            ),
            path(
                "cycle/<int:cycle_id>/results.csv",
                self.admin_site.admin_view(self.results_csv_view),
                name=f"{name}_results_csv",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        cycles = Cycle.objects.filter(stage__in=SURVEYED_STAGES).select_related("program")
        ids = program_ids(request)
        if ids is not None:
            cycles = cycles.filter(program__in=ids)
        links = [
            (
                cycle,
                reverse(
                    f"{self.admin_site.name}:assessments_surveyresponse_results", args=[cycle.pk]
                ),
            )
            for cycle in cycles.order_by("program__name", "-starts_on")
        ]
        return super().changelist_view(request, {**(extra_context or {}), "result_links": links})

    def results_view(self, request, cycle_id):
        """The cycle's response and satisfaction rates, each question's 1-5
        distribution and its comments. Six queries at any size, plus the
        admin's own."""
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Survey results: %(cycle)s") % {"cycle": cycle},
            "cycle": cycle,
            "figures": survey_figures(cycle),
            "target": TARGET,
            "results": survey_results(cycle),
            "closed_reason": survey_open_reason(cycle),
        }
        return TemplateResponse(request, "admin/assessments/surveyresponse/results.html", context)

    def results_csv_view(self, request, cycle_id):
        """The results page's figures as CSV, for the same readers."""
        return survey_csv_response(scoped_cycle(self, request, cycle_id, change=False))
