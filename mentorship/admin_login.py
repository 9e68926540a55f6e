"""The admin's sign-in page is allauth's, like everyone's.

Django's own admin login form checks passwords without any limit; allauth's
counts failed attempts per address and per IP in the shared cache and refuses
further ones. So /admin/login/ only sends people on to allauth's page and
never reads a password itself.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse

from programs.http import site_path


def admin_login(request):
    """admin.site.login: on to allauth's sign-in, then back to ``next``."""
    target = site_path(request, request.GET.get(REDIRECT_FIELD_NAME, "")) or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(target, reverse("account_login"))
    if admin.site.has_permission(request):
        return HttpResponseRedirect(target)
    # Signed in without admin access: sending them to sign in again would
    # bring them straight back here.
    raise PermissionDenied
