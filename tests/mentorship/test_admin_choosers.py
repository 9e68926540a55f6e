"""No admin change form offers people, enrollments, contracts or groups as a
plain select: at 11,000 students that is a page of thousands of options."""

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin, ForeignKeyRawIdWidget
from django.test import RequestFactory

from mentorship.models import Engagement, Enrollment, Group, MentorProfile, StudentProfile, User
from tests import factories as f

pytestmark = pytest.mark.django_db

MANY = {User, StudentProfile, MentorProfile, Enrollment, Engagement, Group}


def _editable_forms(request):
    for model_admin in admin.site._registry.values():
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
            yield model_admin, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request):
                yield inline, inline.get_formset(request).form


def test_choosers_of_many_rows_are_autocompletes():
    request = RequestFactory().get("/admin/")
    request.user = f.UserFactory(is_staff=True, is_superuser=True)
    plain = []
    for owner, form in _editable_forms(request):
        for name, field in form.base_fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or queryset.model not in MANY:
                continue
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, AutocompleteMixin | ForeignKeyRawIdWidget):
                plain.append(f"{type(owner).__name__}.{name}")
    assert plain == []
