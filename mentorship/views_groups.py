"""The group page members see: who is in it, in which role, and how to reach them."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView

from .group_page import group_roster
from .permissions import get_group_for_user


class GroupDetailView(LoginRequiredMixin, DetailView):
    template_name = "mentorship/group_detail.html"
    context_object_name = "group"

    def get_object(self, queryset=None):
        return get_group_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        members, guests_contacts = group_roster(group=self.object, viewer=self.request.user)
        viewer = self.request.user.pk
        return super().get_context_data(
            members=members,
            viewer_leads=any(row.is_leader and row.person.pk == viewer for row in members),
            guests=list(self.object.guests.all()),
            guests_contacts=guests_contacts,
            **kwargs,
        )
