from django.urls import path

from . import views_survey

urlpatterns = [
    path(
        "survey/<int:cycle_id>/<str:audience>/",
        views_survey.SurveyView.as_view(),
        name="survey",
    ),
]
