"""The project's admin site: Django's, minus a 500 it gives to a hand-made URL.

Every admin view asks for ``_to_field`` (the field a pop-up reports back);
an empty one passes Django's check for allowed fields and is then looked up as
a field named "", which fails with a 500 on every change and delete page,
before any permission check. No admin page sends it empty: it is refused.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.options import TO_FIELD_VAR
from django.core.exceptions import BadRequest


class AdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if "" in (request.GET.get(TO_FIELD_VAR), request.POST.get(TO_FIELD_VAR)):
                raise BadRequest("An empty _to_field")
            return view(request, *args, **kwargs)

        # Inside Django's wrapper: people who may not use the admin are
        # sent to sign in first, whatever they asked for.
        return super().admin_view(checked, cacheable)


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin_site.AdminSite"
