from django.urls import path

from . import views_activities, views_calendar

urlpatterns = [
    path("activities/", views_activities.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views_activities.ActivityCreateView.as_view(), name="activity_create"),
    path(
        "activities/<int:pk>/",
        views_activities.ActivityDetailView.as_view(),
        name="activity_detail",
    ),
    path("activities/<int:pk>/rsvp/", views_activities.RsvpView.as_view(), name="activity_rsvp"),
    path(
        "activities/<int:pk>/rating/", views_activities.RatingView.as_view(), name="activity_rate"
    ),
    path(
        "activities/<int:pk>/attendance/",
        views_activities.AttendanceView.as_view(),
        name="activity_attendance",
    ),
    path("calendar/", views_calendar.CalendarView.as_view(), name="calendar"),
    path("calendar/reset/", views_calendar.CalendarResetView.as_view(), name="calendar_reset"),
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
]
