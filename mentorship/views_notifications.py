from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from .digests import digest_item
from .notification_centre import get_notification_for_user, mark_all_read, mark_read, visible


class NotificationListView(LoginRequiredMixin, ListView):
    """The signed-in person's notifications, newest first."""

    template_name = "mentorship/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return visible(self.request.user).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Rendered lazily: the labels translate in the reader's language.
        context["items"] = [(row, digest_item(row)) for row in context["notifications"]]
        return context


class NotificationReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_notification_for_user(request.user, pk, write=True)
        mark_read(notification=notification, now=timezone.now())
        return redirect("notification_list")


class NotificationOpenView(LoginRequiredMixin, View):
    """Mark a notification read and go where it points (POST: it changes state)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_notification_for_user(request.user, pk, write=True)
        mark_read(notification=notification, now=timezone.now())
        url = notification.payload.get("url", "")
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(url)
        return redirect("notification_list")


class NotificationReadAllView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        mark_all_read(user=request.user, now=timezone.now())
        return redirect("notification_list")
