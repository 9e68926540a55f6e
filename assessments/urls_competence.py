from django.urls import path

from . import views_competence

urlpatterns = [
    path(
        "student/competence/",
        views_competence.StudentCompetenceView.as_view(),
        name="competence_student",
    ),
    path(
        "student/competence/<int:enrollment>/<str:moment>/",
        views_competence.StudentCompetenceSaveView.as_view(),
        name="competence_save",
    ),
    path(
        "mentor/mentees/<int:enrollment>/competence/",
        views_competence.MenteeCompetenceView.as_view(),
        name="competence_mentee",
    ),
]
