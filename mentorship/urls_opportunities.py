from django.urls import path

from . import views_opportunities as views

urlpatterns = [
    path(
        "mentor/opportunities/",
        views.MentorOpportunityListView.as_view(),
        name="mentor_opportunities",
    ),
    path(
        "mentor/opportunities/new/",
        views.OpportunityCreateView.as_view(),
        name="opportunity_create",
    ),
    path(
        "mentor/opportunities/<int:pk>/",
        views.OpportunityDetailView.as_view(),
        name="opportunity_detail",
    ),
    path(
        "student/opportunities/",
        views.StudentOpportunityListView.as_view(),
        name="student_opportunities",
    ),
    path(
        "student/opportunities/<int:pk>/status/",
        views.RecipientStatusView.as_view(),
        name="opportunity_status",
    ),
]
