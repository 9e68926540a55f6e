from django.urls import path

from . import views_meetings as views

urlpatterns = [
    path("mentor/meetings/", views.MentorMeetingListView.as_view(), name="mentor_meetings"),
    path(
        "mentor/meetings/new/", views.MentorMeetingCreateView.as_view(), name="mentor_meeting_new"
    ),
    path(
        "mentor/meetings/<int:pk>/", views.MentorMeetingDetailView.as_view(), name="mentor_meeting"
    ),
    path(
        "mentor/meetings/<int:pk>/edit/",
        views.MentorMeetingEditView.as_view(),
        name="mentor_meeting_edit",
    ),
    path("student/meetings/", views.StudentMeetingListView.as_view(), name="student_meetings"),
    path(
        "student/meetings/<int:pk>/confirm/",
        views.ConfirmMeetingView.as_view(),
        name="student_meeting_confirm",
    ),
    path(
        "student/meetings/<int:pk>/dispute/",
        views.DisputeMeetingView.as_view(),
        name="student_meeting_dispute",
    ),
]
