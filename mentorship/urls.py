from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("coordinator/", views.CoordinatorHomeView.as_view(), name="coordinator_home"),
    path("steering/", views.SteeringHomeView.as_view(), name="steering_home"),
    path("mentor/", views.MentorHomeView.as_view(), name="mentor_home"),
    path("student/", views.StudentHomeView.as_view(), name="student_home"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("welcome/", views.NoRoleView.as_view(), name="no_role"),
]
