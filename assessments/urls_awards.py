from django.urls import path

from .views_awards import CertificateView

urlpatterns = [
    path("awards/<int:pk>/certificate.pdf", CertificateView.as_view(), name="award_certificate"),
]
