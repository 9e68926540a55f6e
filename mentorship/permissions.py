"""Access checks for the role homes. Anonymous users are sent to login by
LoginRequiredMixin; a signed-in person without the role gets 403."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from .roles import user_roles


class RoleRequiredMixin(LoginRequiredMixin):
    required_role = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_role not in user_roles(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
