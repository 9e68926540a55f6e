from django.urls import path

from . import (
    views,
    views_group_selection,
    views_groups,
    views_notifications,
    views_recruitment,
    views_selection,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("coordinator/", views.CoordinatorHomeView.as_view(), name="coordinator_home"),
    path("steering/", views.SteeringHomeView.as_view(), name="steering_home"),
    path("mentor/", views.MentorHomeView.as_view(), name="mentor_home"),
    path("student/", views.StudentHomeView.as_view(), name="student_home"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path(
        "notifications/",
        views_notifications.NotificationListView.as_view(),
        name="notification_list",
    ),
    path(
        "notifications/read/",
        views_notifications.NotificationReadAllView.as_view(),
        name="notification_read_all",
    ),
    path(
        "notifications/<int:pk>/read/",
        views_notifications.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path(
        "notifications/<int:pk>/open/",
        views_notifications.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path("welcome/", views.NoRoleView.as_view(), name="no_role"),
    path("groups/<int:pk>/", views_groups.GroupDetailView.as_view(), name="group_detail"),
    path(
        "student/enrollments/<int:enrollment>/mentors/",
        views_selection.MentorDirectoryView.as_view(),
        name="selection_mentors",
    ),
    path(
        "student/enrollments/<int:enrollment>/mentors/<int:pk>/",
        views_selection.MentorDetailView.as_view(),
        name="selection_mentor",
    ),
    path(
        "student/enrollments/<int:enrollment>/ranking/",
        views_selection.StudentRankingView.as_view(),
        name="selection_ranking",
    ),
    path(
        "mentor/engagements/<int:engagement>/applicants/",
        views_selection.ApplicantsView.as_view(),
        name="selection_applicants",
    ),
    path(
        "student/enrollments/<int:enrollment>/groups/",
        views_group_selection.GroupRankingView.as_view(),
        name="selection_groups",
    ),
    path(
        "mentor/groups/<int:group>/applicants/",
        views_group_selection.GroupApplicantsView.as_view(),
        name="selection_group_applicants",
    ),
    path(
        "mentor/engagements/<int:engagement>/contract/",
        views_recruitment.ContractView.as_view(),
        name="engagement_contract",
    ),
    path("mentor/profile/", views_recruitment.MentorProfileView.as_view(), name="mentor_profile"),
    path(
        "invitations/<uidb64>/<token>/",
        views_recruitment.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
