"""The evaluation page's finalization and downloads, for EvaluationAdmin.

A coordinator finalizes from a confirmation page that says what freezes and
how far the steering group's judging got (an incomplete judging must be
acknowledged); steering members see no button. Anyone who may see the page downloads the
standings (as the page shows them to them), the completion check and the
awards, as XLSX or CSV.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext as _

from mentorship.admin_scopes import scoped_cycle
from programs.confirmation import confirm
from programs.models import Stage

from .confirmations import finalize_confirmation
from .evaluation import EvaluationError
from .evaluation_export import (
    awards_table,
    completion_table,
    csv_response,
    file_name,
    standings_table,
    xlsx_response,
)
from .evaluation_finalize import finalize_evaluation, finalize_refusal
from .judging import evaluation_of

COMPLETION = "completion"


class FinalizeAndExportViews:
    """Needs ``_name``, ``_url``, ``_page`` and ``TABS`` of EvaluationAdmin."""

    def final_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "cycle/<int:cycle_id>/finalize/",
                wrap(self.finalize_view),
                name=self._name("finalize"),
            ),
            path(
                "cycle/<int:cycle_id>/export.xlsx",
                wrap(self.export_xlsx_view),
                name=self._name("export_xlsx"),
            ),
            path(
                "cycle/<int:cycle_id>/export/<str:tab>.csv",
                wrap(self.export_csv_view),
                name=self._name("export_csv"),
            ),
            path(
                "cycle/<int:cycle_id>/awards.xlsx",
                wrap(self.awards_xlsx_view),
                name=self._name("awards_xlsx"),
            ),
            path(
                "cycle/<int:cycle_id>/awards.csv",
                wrap(self.awards_csv_view),
                name=self._name("awards_csv"),
            ),
        ]

    def final_context(self, cycle, evaluation, context):
        """What the evaluation page shows of finalization and downloads."""
        offer = (
            context["may_change"]
            and cycle.stage == Stage.EVALUATION
            and not (evaluation and evaluation.is_final)
        )
        refusal = finalize_refusal(evaluation, cycle) if offer else None
        return {
            "can_finalize": offer and refusal is None,
            "finalize_refusal": refusal,
            "finalize_url": self._url("finalize", cycle.pk),
            "export_xlsx_url": self._url("export_xlsx", cycle.pk),
            "export_csv_urls": [
                (label, self._url("export_csv", cycle.pk, key))
                for key, (_subject, label) in self.TABS.items()
            ],
            "awards_xlsx_url": self._url("awards_xlsx", cycle.pk),
            "awards_csv_url": self._url("awards_csv", cycle.pk),
        }

    def finalize_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=True)
        evaluation, context = self._page(request, cycle)
        back_url = self._url("cycle", cycle.pk)

        def perform(choices):
            try:
                if evaluation is None:
                    raise EvaluationError(finalize_refusal(evaluation, cycle))
                finalize_evaluation(evaluation=evaluation, by=request.user)
            except EvaluationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The evaluation is finalized."))
            return HttpResponseRedirect(back_url)

        confirmation = finalize_confirmation(cycle, evaluation, back_url=back_url)
        return confirm(request, confirmation, perform=perform, context=context)

    def _tables(self, request, cycle, tabs):
        evaluation, context = self._page(request, cycle)
        evaluation = evaluation or evaluation_of(cycle)
        tables = []
        for key in tabs:
            subject, label = self.TABS[key]
            if subject is None:
                tables.append((label, *completion_table(cycle)))
            else:
                header, rows = standings_table(
                    evaluation, subject, hide_judged=context["hide_judged"]
                )
                tables.append((label, header, rows))
        return tables

    def export_xlsx_view(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        sheets = self._tables(request, cycle, self.TABS)
        return xlsx_response(file_name(cycle, "evaluation", "xlsx"), sheets)

    def export_csv_view(self, request, cycle_id, tab):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        if tab not in self.TABS:
            raise Http404
        ((_label, header, rows),) = self._tables(request, cycle, [tab])
        return csv_response(file_name(cycle, f"evaluation-{tab}", "csv"), header, rows)

    def _awards(self, request, cycle_id):
        cycle = scoped_cycle(self, request, cycle_id, change=False)
        return cycle, awards_table(evaluation_of(cycle))

    def awards_xlsx_view(self, request, cycle_id):
        cycle, (header, rows) = self._awards(request, cycle_id)
        return xlsx_response(file_name(cycle, "awards", "xlsx"), [(_("Awards"), header, rows)])

    def awards_csv_view(self, request, cycle_id):
        cycle, (header, rows) = self._awards(request, cycle_id)
        return csv_response(file_name(cycle, "awards", "csv"), header, rows)
