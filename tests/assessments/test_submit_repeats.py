"""A submission form posted twice (a double click, a resent request) makes one
version; a stored file whose version row is not written is removed."""

import re
import threading
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.urls import reverse

from assessments.models import Submission
from assessments.services import submit
from tests import factories as f
from tests.row_locks import needs_row_locks

from .conftest import PLAN_ANSWERS, stored_files
from .test_uploads import PDF_BYTES

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="submit_key" value="([0-9a-f-]{36})"')


def form_key(client, requirement):
    page = client.get(reverse("deliverable_detail", args=[requirement.pk])).content.decode()
    return KEY.search(page).group(1)


def test_each_showing_of_the_form_carries_its_own_key(client, world, dl):
    client.force_login(world.student)
    assert form_key(client, dl.plan) != form_key(client, dl.plan)


def test_the_same_form_posted_twice_makes_one_version(client, world, dl):
    client.force_login(world.student)
    url = reverse("deliverable_detail", args=[dl.plan.pk])
    data = {"action": "submit", "submit_key": form_key(client, dl.plan), **PLAN_ANSWERS}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    [version] = Submission.objects.all()
    assert version.number == 1 and "submit_key" not in version.content
    assert "This form was already submitted as version 1; nothing new was made." in again.text
    # A new showing of the form makes a new version.
    data["submit_key"] = form_key(client, dl.plan)
    client.post(url, data)
    assert Submission.objects.count() == 2


def test_a_repeat_after_acceptance_still_shows_the_version(world, dl):
    key = uuid.uuid4()
    first = submit(requirement=dl.plan, enrollment=dl.enrollment, content={"a": "b"}, key=key)
    f.ReviewFactory(submission=first, decision="accepted")
    again = submit(requirement=dl.plan, enrollment=dl.enrollment, content={"a": "b"}, key=key)
    assert again.pk == first.pk and again.repeat and not first.repeat


def test_the_database_holds_one_version_per_form_key(world, dl):
    key = uuid.uuid4()
    f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment, number=1, submit_key=key)
    with pytest.raises(IntegrityError):
        f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment, number=2, submit_key=key)


def test_a_stored_file_whose_row_is_not_written_is_removed(world, dl, media, monkeypatch):
    def refuse(*args, **kwargs):
        raise IntegrityError("the row could not be written")

    # Fails after the file is on disk, as a version number taken meanwhile would.
    monkeypatch.setattr(Submission, "_do_insert", refuse)
    with pytest.raises(IntegrityError):
        submit(
            requirement=dl.report,
            enrollment=dl.enrollment,
            content={"organisation": "Bank"},
            file=SimpleUploadedFile("report.pdf", PDF_BYTES),
            suffix=".pdf",
        )
    assert not Submission.objects.exists()
    assert stored_files(media) == []


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_parallel_repeats_of_one_form_make_one_version(world, dl):
    key = uuid.uuid4()
    barrier = threading.Barrier(4)
    made = []

    def hand_in():
        try:
            barrier.wait()
            version = submit(
                requirement=dl.plan, enrollment=dl.enrollment, content=PLAN_ANSWERS, key=key
            )
            made.append(version.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=hand_in) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 4 and len(set(made)) == 1
    assert Submission.objects.count() == 1
