"""The calendar page (the feed URL and its reset) and the feed itself."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from mentorship.emails import absolute_url

from .calendar_feed import build_calendar, reset_token, token_for
from .models import CalendarToken


class CalendarView(LoginRequiredMixin, TemplateView):
    template_name = "sessions_app/calendar_detail.html"

    def get_context_data(self, **kwargs):
        token = token_for(self.request.user)
        url = absolute_url(reverse("calendar_feed", args=[token.token]))
        return super().get_context_data(feed_url=url, **kwargs)


class CalendarResetView(LoginRequiredMixin, View):
    def post(self, request):
        reset_token(user=request.user)
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
        return redirect("calendar")


def calendar_feed(request, token):
    """No login: calendar apps cannot sign in; the secret token is the key."""
    owner = get_object_or_404(
        CalendarToken.objects.select_related("user"), token=token, user__is_active=True
    ).user
    body = build_calendar(owner, base_url=settings.SITE_URL)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mentor-programs.ics"'
    return response
