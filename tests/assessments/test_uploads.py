"""Uploaded files: PDF or DOCX by content, size limit, empty refused; the download."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.downloads import download_name
from assessments.models import Submission

from .conftest import stored_files

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes(with_document=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def submit_report(client, world, dl, upload):
    client.force_login(world.student)
    data = {
        "action": "submit",
        "organisation": "Bank",
        "role": "Analyst",
        "start_date": "2026-07-01",
        "end_date": "2026-08-31",
        "responsibilities": "Reconciliations",
        "learned": "Excel",
        "file": upload,
    }
    return client.post(reverse("deliverable_detail", args=[dl.report.pk]), data)


@pytest.mark.parametrize(
    "name, content",
    [("report.pdf", PDF_BYTES), ("report.docx", docx_bytes()), ("REPORT", PDF_BYTES)],
)
def test_pdf_and_docx_are_stored_under_a_random_name(client, world, dl, media, name, content):
    response = submit_report(client, world, dl, SimpleUploadedFile(name, content))
    assert response.status_code == 302
    version = Submission.objects.get()
    assert version.file.name.startswith("deliverables/")
    assert "report" not in version.file.name.lower()
    assert version.file.name.endswith(".pdf" if content == PDF_BYTES else ".docx")
    [path] = stored_files(media)
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("photo.pdf", PNG_BYTES), "Only PDF or Word (.docx) files"),
        (SimpleUploadedFile("notes.docx", docx_bytes(False)), "Only PDF or Word (.docx) files"),
        (SimpleUploadedFile("script.pdf", b"#!/bin/sh\necho %PDF-"), "Only PDF or Word"),
        (SimpleUploadedFile("big.pdf", PDF_BYTES + b"x" * 2000), "files may be at most 1.0"),
    ],
)
def test_refused_uploads_store_nothing(client, world, dl, media, settings, upload, message):
    settings.DELIVERABLE_MAX_UPLOAD_BYTES = 1024
    response = submit_report(client, world, dl, upload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Submission.objects.exists()
    assert stored_files(media) == []


def test_empty_file_is_refused(client, world, dl, media):
    response = submit_report(client, world, dl, SimpleUploadedFile("empty.pdf", b""))
    assert response.status_code == 200
    # Django's own check words it; either way the form says so and keeps nothing.
    assert "empty" in response.content.decode()
    assert not Submission.objects.exists()
    assert stored_files(media) == []


def test_validator_refuses_an_empty_file_itself():
    from django.core.exceptions import ValidationError

    from assessments.uploads import validate_upload

    with pytest.raises(ValidationError, match="The file is empty."):
        validate_upload(SimpleUploadedFile("empty.pdf", b""))


def test_a_draft_keeps_no_file(client, world, dl, media):
    client.force_login(world.student)
    url = reverse("deliverable_detail", args=[dl.report.pk])
    response = client.post(
        url,
        {"action": "draft", "organisation": "Bank", "file": SimpleUploadedFile("r.pdf", PDF_BYTES)},
        follow=True,
    )
    assert "attach the file when you submit" in response.content.decode()
    assert stored_files(media) == []


def test_download_has_a_safe_name(client, world, dl, media):
    world.student.full_name = 'Lǐ "Xiǎo/Míng" 李小明'
    world.student.save(update_fields=["full_name"])
    submit_report(client, world, dl, SimpleUploadedFile("../../etc/passwd.pdf", PDF_BYTES))
    version = Submission.objects.get()
    assert download_name(version) == "Lǐ Xiǎo Míng 李小明 - Internship report - v1.pdf"
    client.force_login(world.mentor)
    response = client.get(reverse("submission_file", args=[version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith(
        'attachment; filename="Li Xiao Ming - Internship report - v1.pdf";'
    )
    assert "filename*=UTF-8''" in disposition
    assert response["Cache-Control"] == "private, no-store"
    assert "%E6%9D%8E" in disposition  # 李
    assert "passwd" not in disposition
    disposition.encode("ascii")


def test_version_without_file_has_no_download(client, world, dl):
    from tests import factories as f

    version = f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment)
    client.force_login(world.student)
    assert client.get(reverse("submission_file", args=[version.pk])).status_code == 404
