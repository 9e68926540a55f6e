"""An award's certificate, for its recipients and the program's staff."""

from urllib.parse import quote

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views import View

from .awards_recipients import certificate_award
from .certificate import recipient_name, render_certificate
from .downloads import ascii_fallback


class CertificateView(LoginRequiredMixin, View):
    def get(self, request, pk):
        award = certificate_award(request.user, pk)
        response = HttpResponse(render_certificate(award), content_type="application/pdf")
        name = f"{recipient_name(award)} - {award.category.label}.pdf"
        # Old clients read the ASCII name; others the full one (RFC 6266).
        response["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name)}"
        )
        return response
