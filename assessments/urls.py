from django.urls import path

from . import views

urlpatterns = [
    path(
        "student/deliverables/",
        views.StudentDeliverableListView.as_view(),
        name="deliverable_list",
    ),
    path(
        "student/deliverables/<int:pk>/",
        views.StudentDeliverableView.as_view(),
        name="deliverable_detail",
    ),
    path("mentor/reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("mentor/reviews/<int:pk>/", views.ReviewView.as_view(), name="review_detail"),
    path(
        "deliverables/versions/<int:pk>/file/",
        views.SubmissionFileView.as_view(),
        name="submission_file",
    ),
]
