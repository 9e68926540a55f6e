from django.urls import path

from . import views_dashboard

urlpatterns = [
    path(
        "cycles/<int:pk>/dashboard/",
        views_dashboard.CycleDashboardView.as_view(),
        name="cycle_dashboard",
    ),
    path(
        "groups/<int:pk>/dashboard/",
        views_dashboard.GroupDashboardView.as_view(),
        name="group_dashboard",
    ),
    path(
        "cycles/<int:pk>/dashboard/at-risk/",
        views_dashboard.CycleAtRiskView.as_view(),
        name="cycle_at_risk",
    ),
    path(
        "groups/<int:pk>/dashboard/at-risk/",
        views_dashboard.GroupAtRiskView.as_view(),
        name="group_at_risk",
    ),
]
