"""The progress dashboard of a cycle, or of one of its groups: figures from
``assessments.dashboard``, drawn by static/js/dashboard.js, with the same
numbers as tables. Everyone at risk, page by page, on a page of their own."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from .dashboard import Scope, dashboard
from .dashboard_charts import charts
from .dashboard_risk import at_risk_students, required_deliverables
from .permissions_dashboard import get_cycle_for_dashboard, get_group_for_dashboard

AT_RISK_PAGE_SIZE = 100


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


class CycleAtRiskView(CycleDashboardView):
    """Everyone at risk in the scope, by name, a page at a time."""

    template_name = "assessments/dashboard_at_risk.html"

    def get_context_data(self, **kwargs):
        scope = self.scope()
        try:
            number = int(self.request.GET.get("page", 1))
        except ValueError:
            raise Http404 from None
        if number < 1:
            raise Http404
        start = (number - 1) * AT_RISK_PAGE_SIZE
        at_risk = at_risk_students(
            scope,
            requirements=list(required_deliverables(scope.cycle)),
            now=timezone.now(),
            start=start,
            stop=start + AT_RISK_PAGE_SIZE,
        )
        if number > 1 and not at_risk.rows:
            raise Http404
        # The rows' query counted them all: page over a range of that size.
        paginator = Paginator(range(at_risk.total), AT_RISK_PAGE_SIZE)
        return TemplateView.get_context_data(
            self,
            scope=scope,
            rows=at_risk.rows,
            total=at_risk.total,
            paginator=paginator,
            page_obj=paginator.page(number),
            is_paginated=paginator.num_pages > 1,
            **kwargs,
        )


class GroupAtRiskView(CycleAtRiskView):
    scope = GroupDashboardView.scope
