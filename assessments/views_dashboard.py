"""The progress dashboard of a cycle, or of one of its groups: figures from
``assessments.dashboard``, drawn by static/js/dashboard.js, with the same
numbers as tables."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .dashboard import Scope, dashboard
from .dashboard_charts import charts
from .permissions_dashboard import get_cycle_for_dashboard, get_group_for_dashboard


class CycleDashboardView(LoginRequiredMixin, TemplateView):
    template_name = "assessments/dashboard.html"

    def scope(self):
        return Scope(cycle=get_cycle_for_dashboard(self.request.user, self.kwargs["pk"]))

    def get_context_data(self, **kwargs):
        figures = dashboard(self.scope())
        return super().get_context_data(
            scope=figures.scope, figures=figures, charts=charts(figures), **kwargs
        )


class GroupDashboardView(CycleDashboardView):
    def scope(self):
        group = get_group_for_dashboard(self.request.user, self.kwargs["pk"])
        return Scope(cycle=group.cycle, group=group)
