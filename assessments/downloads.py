"""Sending a submitted file to someone allowed to read it, under a safe name."""

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import FileResponse, Http404

from .uploads import CONTENT_TYPES


def download_name(submission):
    """ "<student> - <kind> - v<number>.<ext>", from names people typed, never the uploaded name."""
    suffix = PurePosixPath(submission.file.name).suffix.lower()
    parts = [
        submission.enrollment.student.user.full_name,
        submission.requirement.kind.label,
        f"v{submission.number}",
    ]
    # Path separators, quotes and control characters have no place in a file name.
    parts = [re.sub(r'[\\/"\x00-\x1f\x7f]+', " ", part) for part in parts]
    name = " - ".join(" ".join(part.split()) for part in parts)
    return name + suffix


def ascii_fallback(name):
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9 ._-]+", "_", plain)
    return " ".join(plain.split()).strip(" _") or "deliverable"


def file_response(submission):
    if not submission.file:
        raise Http404
    name = download_name(submission)
    suffix = PurePosixPath(submission.file.name).suffix.lower()
    response = FileResponse(
        submission.file.open("rb"),
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )
    # Old clients read the ASCII name; others the full one (RFC 6266).
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name)}"
    )
    return response
