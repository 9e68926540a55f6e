"""Checks on a deliverable's uploaded file, by what it contains rather than
what it is called: a PNG renamed .pdf is still a PNG."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = ".pdf"
DOCX = ".docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _is_docx(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return False


def detect_type(upload):
    """The upload's kind (PDF or DOCX) from its bytes, or None."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return PDF
    kind = DOCX if _is_docx(upload) else None
    upload.seek(0)
    return kind


def validate_upload(upload):
    """Return the file's suffix (.pdf or .docx) or raise ValidationError saying what is wrong."""
    limit = settings.DELIVERABLE_MAX_UPLOAD_BYTES
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    kind = detect_type(upload)
    if kind is None:
        raise ValidationError(
            _(
                "Only PDF or Word (.docx) files are accepted, and this file is neither, "
                "whatever its name says."
            ),
            code="wrong_type",
        )
    return kind
