"""Roster imports too long for a web request (more rows than
``settings.ROSTER_IMPORT_ASYNC_ROWS``): the upload is kept in a RosterImport,
a background task previews it (every check, nothing written), the coordinator
confirms on the import's page, and a second task imports it. The page polls
the import's state and shows the outcome as the synchronous import page does.

The confirm step writes exactly what the preview showed: it reads the same
stored bytes (their hash checked) and refuses, writing nothing, when anything
stored that the checks read has changed since the preview (the resource's
state digest).
"""

import hashlib
import logging
from datetime import timedelta

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export.results import RowResult

from .models import RosterImport, RosterImportStatus, RosterRole
from .resources import MentorRosterResource, StudentRosterResource
from .resources.cells import cell_text
from .roster_formats import FORMATS

logger = logging.getLogger(__name__)

# A running step reports its progress every few seconds (and writes an
# 11,000-row file in well under a minute): silent this long, its worker is gone.
STALE = timedelta(minutes=10)

RESOURCES = {RosterRole.MENTOR: MentorRosterResource, RosterRole.STUDENT: StudentRosterResource}


class RosterImportError(Exception):
    """A step the import is not in a state for; the message says why."""


def start_roster_import(*, by, kind, file_name, file_format, data):
    """Keep the upload for its preview and return the import. Must hold
    first: ``by`` may import ``kind`` rosters and the file passed the upload
    form's checks (format, size). The caller queues its task."""
    return RosterImport.objects.create(
        kind=kind,
        created_by=by,
        file_name=file_name[:255],
        file_format=file_format,
        data=data,
        data_sha256=hashlib.sha256(data).hexdigest(),
    )


def confirm_roster_import(*, job, by):
    """Mark ``job``'s previewed import to be run; the caller queues its task.
    Must hold first: ``by`` may follow ``job``. Only who started it confirms,
    and only a preview without errors."""
    if job.created_by_id != by.pk:
        raise RosterImportError(_("Only the person who uploaded the file can confirm it."))
    claimed = RosterImport.objects.filter(
        pk=job.pk, status=RosterImportStatus.PREVIEW_READY, confirmed=False
    ).update(status=RosterImportStatus.QUEUED, confirmed=True, rows_done=0)
    if not claimed:
        raise RosterImportError(_("This import has no preview waiting for confirmation."))


def run_roster_import(*, import_id):
    """Run the step ``import_id`` is queued for: the preview, or once
    confirmed the import. Safe to run twice: only a queued import starts, or
    one whose run has shown no sign of life for ``STALE`` (its worker was
    lost; nothing of the step was written, as it writes in one transaction)."""
    now = timezone.now()
    claimed = (
        RosterImport.objects.filter(pk=import_id)
        .filter(
            Q(status=RosterImportStatus.QUEUED)
            | Q(status=RosterImportStatus.RUNNING, updated_at__lt=now - STALE)
        )
        .update(status=RosterImportStatus.RUNNING, updated_at=now)
    )
    if not claimed:
        return
    job = RosterImport.objects.select_related("created_by").get(pk=import_id)
    with translation.override(job.created_by.preferred_language):
        try:
            status, outcome, digest, programs = _run(job)
        except Exception:
            logger.exception("roster import %s failed", job.pk)
            status, digest, programs = RosterImportStatus.FAILED, job.state_digest, None
            outcome = {"file_errors": [_("The import failed unexpectedly. Upload the file again.")]}
    RosterImport.objects.filter(pk=job.pk).update(
        status=status, outcome=outcome, state_digest=digest, rows_done=job.rows_total
    )
    if programs is not None:
        job.programs.set(programs)


def _run(job):
    resource = RESOURCES[job.kind](user=job.created_by, skip_diff=True)
    data = bytes(job.data)
    if hashlib.sha256(data).hexdigest() != job.data_sha256:
        raise RosterImportError("the stored file changed")
    try:
        file_format = FORMATS[job.file_format]()
        # As the import page reads an upload (import-export's from_encoding).
        content = data if file_format.is_binary() else data.decode("utf-8-sig")
        dataset = file_format.create_dataset(content)
    except Exception as error:
        # import-export's own words (and translation) on the import page.
        message = _(
            "%(exc_name)s encountered while trying to read file. "
            "Ensure you have chosen the correct format for the file."
        ) % {"exc_name": repr(type(error).__name__)}
        outcome = {"totals": {}, "file_errors": [message], "row_errors": []}
        return RosterImportStatus.FAILED, outcome, job.state_digest, None
    job.rows_total = len(dataset)
    RosterImport.objects.filter(pk=job.pk).update(rows_total=job.rows_total, rows_done=0)
    resource.on_progress = lambda done: RosterImport.objects.filter(pk=job.pk).update(
        rows_done=min(done, job.rows_total), updated_at=timezone.now()
    )
    if job.confirmed:
        resource.expected_digest = job.state_digest
        # Done as the file's rows commit: a worker lost after that must not
        # run the step again.
        resource.on_written = lambda: RosterImport.objects.filter(pk=job.pk).update(
            status=RosterImportStatus.DONE, rows_done=job.rows_total
        )
    result = resource.import_data(
        dataset, dry_run=not job.confirmed, retain_instance_in_row_result=job.confirmed
    )
    outcome = outcome_of(result)
    if outcome["file_errors"] or outcome["row_errors"]:
        return RosterImportStatus.FAILED, outcome, job.state_digest, None
    if job.confirmed:
        log_rows(result, by=job.created_by)
        return RosterImportStatus.DONE, outcome, job.state_digest, None
    names = {cell_text(name).casefold() for name in dataset["program"]}
    programs = [resource.programs[name] for name in names if name in resource.programs]
    return RosterImportStatus.PREVIEW_READY, outcome, resource.digest, programs


def log_rows(result, *, by):
    """The admin's history of each person imported, as the import page
    writes it (django-import-export's own wording)."""
    for import_type, flag in (
        (RowResult.IMPORT_TYPE_NEW, ADDITION),
        (RowResult.IMPORT_TYPE_UPDATE, CHANGE),
    ):
        profiles = [row.instance for row in result.rows if row.import_type == import_type]
        if profiles:
            LogEntry.objects.log_actions(
                by.pk,
                profiles,
                flag,
                change_message=f"{import_type} through import_export",
                single_object=len(profiles) == 1,
            )


def outcome_of(result):
    """The counts and every error of an import result, as text, in the
    order and words the import page lists them."""
    file_errors = [str(error.error) for error in result.base_errors]
    row_errors = [
        (number, "", str(error.error)) for number, errors in result.row_errors() for error in errors
    ]
    for row in result.invalid_rows:
        for column, messages in row.field_specific_errors.items():
            row_errors += [(row.number, column, str(message)) for message in messages]
        row_errors += [(row.number, "", str(message)) for message in row.non_field_specific_errors]
    return {
        "totals": {kind: count for kind, count in result.totals.items() if count},
        "file_errors": file_errors,
        "row_errors": row_errors,
    }
