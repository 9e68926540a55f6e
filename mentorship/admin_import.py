"""Roster import and export on the mentor and student admin pages.

The admin declares ``class MentorProfileAdmin(RosterImportMixin, ...)``; the
resource follows from the admin's model, and every import and export runs as
the requesting person, limited to the programs they coordinate.
"""

import os

import tablib
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm

from programs.models import Cycle, Program

from .admin_import_jobs import RosterImportJobsMixin
from .models import MentorProfile, RosterRole, StudentProfile
from .resources import MentorRosterResource, StudentRosterResource
from .roster_formats import RosterCSV, RosterXLSX

ROSTERS = {
    MentorProfile: (MentorRosterResource, "mentor-roster", RosterRole.MENTOR),
    StudentProfile: (StudentRosterResource, "student-roster", RosterRole.STUDENT),
}
# Everything a roster row may write, beyond the profile itself.
# Eleven thousand students fit in well under a megabyte of CSV.
MAX_FILE_SIZE = 5 * 1024 * 1024
WRITTEN_PERMISSIONS = {
    MentorProfile: ("mentorship.add_engagement", "mentorship.change_engagement"),
    StudentProfile: ("mentorship.add_enrollment", "mentorship.change_enrollment"),
}
# Session key: the stored uploads this session previewed, with their format.
PREVIEWED_UPLOADS = "roster_previewed_uploads"
COMMON_PERMISSIONS = (
    "mentorship.add_user",
    "mentorship.change_user",
    "mentorship.add_rosterentry",
)


class RosterImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_FILE_SIZE:
            raise ValidationError(
                _("The file is %(size)s; a roster file may be at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_FILE_SIZE)}
            )
        return upload


class RosterImportMixin(RosterImportJobsMixin, ImportExportMixin):
    import_form_class = RosterImportForm
    import_formats = [RosterCSV, RosterXLSX]
    export_formats = [RosterCSV, RosterXLSX]
    import_template_name = "admin/mentorship/roster_import.html"
    # Always every column, so an exported file can be edited and imported back.
    export_form_class = ExportForm
    # Excel reads a UTF-8 file as the local code page unless it starts with a BOM.
    to_encoding = "utf-8-sig"

    @property
    def roster_resource(self):
        return ROSTERS[self.model][0]

    @property
    def roster_kind(self):
        return ROSTERS[self.model][2]

    def get_resource_classes(self, request):
        return [self.roster_resource]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def has_import_permission(self, request):
        return (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and request.user.has_perms((*COMMON_PERMISSIONS, *WRITTEN_PERMISSIONS[self.model]))
        )

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_export_queryset(self, request):
        # The change list redirects on a filter value it cannot use; the
        # export page, which builds its own, would answer 500.
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest("Invalid filter for the export") from error

    def get_export_filename(self, request, queryset, file_format):
        stem = ROSTERS[self.model][1]
        return f"{stem}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def get_urls(self):
        app_label, model_name = self.get_model_info()
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_sample_view),
                name=f"{app_label}_{model_name}_import_template",
            ),
            *self.roster_job_urls(),
            *super().get_urls(),
        ]

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid() and (started := self.start_import_job(request, form)):
                return started
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse):
            response.context_data.update(self.roster_context(request))
            confirm = response.context_data.get("confirm_form")
            if confirm is not None:
                name = os.path.basename(confirm.initial["import_file_name"])
                previewed = request.session.get(PREVIEWED_UPLOADS, {})
                previewed[name] = str(confirm.initial["format"])
                request.session[PREVIEWED_UPLOADS] = previewed
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        # The confirmation posts back the stored upload's name and its format
        # as the preview wrote them, and django-import-export uses both as
        # sent: another name or format answered 500. Only an upload this
        # session previewed, in the format it was read in, is imported.
        if self.has_import_permission(request):
            name = os.path.basename(request.POST.get("import_file_name", ""))
            previewed = request.session.get(PREVIEWED_UPLOADS, {})
            if name not in previewed or previewed.pop(name) != request.POST.get("format"):
                raise BadRequest("This upload was not previewed in this format")
            request.session[PREVIEWED_UPLOADS] = previewed
        return super().process_import(request, **kwargs)

    def process_result(self, result, request):
        # The confirm step reads the file again; rows that passed the preview
        # can fail now (someone else saved meanwhile). The import was rolled
        # back, so say so instead of reporting success.
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _(
                    "Nothing was imported: some rows no longer pass the checks. "
                    "Fix them and upload the file again."
                ),
            )
            return self.refused_response(result, request)
        return super().process_result(result, request)

    def refused_response(self, result, request):
        form_class = self.get_import_form_class(request)
        form = form_class(self.get_import_formats(), self.get_import_resource_classes(request))
        resource = self.roster_resource(**self.get_import_resource_kwargs(request))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "result": result,
            "fields_list": [
                (
                    resource.get_display_name(),
                    [field.column_name for field in resource.get_user_visible_fields()],
                )
            ],
            "import_error_display": self.import_error_display,
            **self.roster_context(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def roster_context(self, request):
        resource = self.roster_resource
        app_label, model_name = self.get_model_info()
        return {
            "roster_columns": [
                (name, name in resource.required_columns, resource.column_help.get(name, ""))
                for name in resource.column_names()
            ],
            "roster_programs": Program.objects.coordinated_by(request.user).values_list(
                "name", flat=True
            ),
            "roster_template_url": reverse(
                f"{self.admin_site.name}:{app_label}_{model_name}_import_template"
            ),
        }

    def import_sample_view(self, request):
        """A CSV to start from: the columns and sample rows, set in the first
        program the person coordinates and its newest open cycle."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.roster_resource
        program = Program.objects.coordinated_by(request.user).first()
        cycle = Cycle.objects.filter(program=program).open().first() if program else None
        dataset = tablib.Dataset(headers=resource.column_names())
        for sample in resource.sample_rows:
            if program is not None:
                sample = {**sample, "program": program.name, "cycle": cycle.name if cycle else ""}
            dataset.append([sample.get(name, "") for name in resource.column_names()])
        response = HttpResponse(
            "\ufeff" + RosterCSV().export_data(dataset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{ROSTERS[self.model][1]}-template.csv"'
        )
        return response
