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
]
