"""Long roster files on the mentor and student admin pages: the import form
hands a file over ``settings.ROSTER_IMPORT_ASYNC_ROWS`` rows to a background
task (mentorship.roster_imports) and sends the coordinator to the import's
page, which polls its progress and offers the confirmation once the preview
is ready. The page never waits on the import.

Who sees an import: whoever may import this roster (others 403) and either
started it or coordinates a program the file puts people in (others 404).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from programs.tasks_util import enqueue

from .models import RosterImport, RosterImportStatus
from .roster_formats import count_rows
from .roster_imports import RosterImportError, confirm_roster_import, start_roster_import
from .tasks import run_roster_import_task


class RosterImportJobsMixin:
    """For RosterImportMixin: ``roster_kind`` names the roster (RosterRole)."""

    def roster_job_urls(self):
        wrap = self.admin_site.admin_view
        app_label, model_name = self.get_model_info()
        name = f"{app_label}_{model_name}_import_job"
        return [
            path("import/<int:import_id>/", wrap(self.import_job_view), name=name),
            path(
                "import/<int:import_id>/progress/",
                wrap(self.import_job_progress_view),
                name=f"{name}_progress",
            ),
            path(
                "import/<int:import_id>/confirm/",
                wrap(require_POST(self.import_job_confirm_view)),
                name=f"{name}_confirm",
            ),
        ]

    def _job_url(self, view, job):
        app_label, model_name = self.get_model_info()
        suffix = f"_{view}" if view else ""
        return reverse(
            f"{self.admin_site.name}:{app_label}_{model_name}_import_job{suffix}", args=[job.pk]
        )

    def start_import_job(self, request, form):
        """A redirect to the import's page when the form's file is long
        enough for the background; None to import it in the request."""
        file_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        upload = form.cleaned_data["import_file"]
        data = b"".join(upload.chunks())
        extension = file_format.get_extension()
        if count_rows(data=data, file_format=extension) <= settings.ROSTER_IMPORT_ASYNC_ROWS:
            upload.seek(0)
            return None
        with transaction.atomic():
            job = start_roster_import(
                by=request.user,
                kind=self.roster_kind,
                file_name=upload.name,
                file_format=extension,
                data=data,
            )
            self._queue(job)
        return HttpResponseRedirect(self._job_url("", job))

    def _queue(self, job):
        # Without a broker the page says "queued" (and the site's notice why)
        # until the sweep queues it again.
        enqueue(run_roster_import_task, import_id=job.pk)

    def visible_job(self, request, import_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        jobs = RosterImport.objects.visible_to(request.user).filter(kind=self.roster_kind)
        return get_object_or_404(jobs, pk=import_id)

    def _job_context(self, request, job):
        return {
            **self.admin_site.each_context(request),
            "title": _("Import of %(file)s") % {"file": job.file_name},
            "opts": self.model._meta,
            "job": job,
            "progress_url": self._job_url("progress", job),
            "confirm_url": self._job_url("confirm", job),
            "page_url": self._job_url("", job),
            "import_url": reverse(f"{self.admin_site.name}:%s_%s_import" % self.get_model_info()),
            "may_confirm": job.status == RosterImportStatus.PREVIEW_READY
            and not job.confirmed
            and job.created_by_id == request.user.pk,
        }

    def import_job_view(self, request, import_id):
        job = self.visible_job(request, import_id)
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "admin/mentorship/roster_import_job.html", self._job_context(request, job)
        )

    def import_job_progress_view(self, request, import_id):
        job = self.visible_job(request, import_id)
        if not job.is_working:
            # Done: the whole page reloads to show the outcome.
            return HttpResponseClientRefresh()
        return TemplateResponse(
            request,
            "admin/mentorship/_roster_import_progress.html",
            self._job_context(request, job),
        )

    def import_job_confirm_view(self, request, import_id):
        job = self.visible_job(request, import_id)
        try:
            with transaction.atomic():
                confirm_roster_import(job=job, by=request.user)
                self._queue(job)
        except RosterImportError as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(self._job_url("", job))
