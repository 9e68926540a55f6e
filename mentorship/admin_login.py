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
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def admin_login(request):
    """admin.site.login: on to allauth's sign-in, then back to ``next``."""
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(target, reverse("account_login"))
    if admin.site.has_permission(request):
        return redirect(target)
    # Signed in without admin access: sending them to sign in again would
    # bring them straight back here.
    raise PermissionDenied
