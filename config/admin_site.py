"""The project's admin site: Django's, minus the 500s it gives to hand-made
pop-up parameters.

Every admin view asks for ``_to_field`` (the field a pop-up reports back);
an empty one passes Django's check for allowed fields and is then looked up as
a field named "", which fails with a 500 on every change and delete page,
before any permission check. A pop-up's ``_source_model`` ("app.model", the
page that opened it) without its dot fails with a 500 once the pop-up saves.
The ticked rows of a bulk action (``_selected_action``) are filtered by as
sent, so a value that is no id fails in the database. No admin page sends
any of them like that: they are refused.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import SOURCE_MODEL_VAR, TO_FIELD_VAR
from django.core.exceptions import BadRequest

from programs.http import parse_id


class AdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if "" in (request.GET.get(TO_FIELD_VAR), request.POST.get(TO_FIELD_VAR)):
                raise BadRequest("An empty _to_field")
            source = request.POST.get(SOURCE_MODEL_VAR, request.GET.get(SOURCE_MODEL_VAR))
            if source is not None and "." not in source:
                raise BadRequest("A _source_model that names no model")
            # Every model in this admin has whole-number ids.
            for pk in request.POST.getlist(ACTION_CHECKBOX_NAME):
                parse_id(pk, otherwise=BadRequest)
            return view(request, *args, **kwargs)

        # Inside Django's wrapper: people who may not use the admin are
        # sent to sign in first, whatever they asked for.
        return super().admin_view(checked, cacheable)


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin_site.AdminSite"
