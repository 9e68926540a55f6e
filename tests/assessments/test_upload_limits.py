"""The program's upload rules: versions of a deliverable per day, file space per
student per cycle. Refused versions store nothing and keep what was typed."""

import datetime
import importlib
import threading

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.models import Draft, Submission
from assessments.services import LimitReached, submit
from programs.models import DeliverableKind
from tests import factories as f

from .conftest import PLAN_ANSWERS, stored_files
from .test_uploads import PDF_BYTES, submit_report

pytestmark = pytest.mark.django_db

KB = 1024


def pdf(size):
    return SimpleUploadedFile("report.pdf", PDF_BYTES + b"x" * (size - len(PDF_BYTES)))


def earlier_versions(requirement, enrollment, count, *, at=None, size=0):
    """``count`` versions submitted at ``at`` (default now), each with a file of ``size``."""
    for number in range(1, count + 1):
        f.SubmissionFactory(
            requirement=requirement,
            enrollment=enrollment,
            number=number,
            submitted_at=at or timezone.now(),
            file=pdf(size) if size else "",
        )


def submit_plan(client, world, dl):
    client.force_login(world.student)
    url = reverse("deliverable_detail", args=[dl.plan.pk])
    return client.post(url, {"action": "submit", **PLAN_ANSWERS})


def set_rules(program, **rules):
    for name, value in rules.items():
        setattr(program, name, value)
    program.save(update_fields=list(rules))


def local(day, hour, minute=0):
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


class TestVersionsPerDay:
    def test_the_sixth_version_of_a_day_is_refused_by_default(self, client, world, dl):
        earlier_versions(dl.plan, dl.enrollment, 5)
        response = submit_plan(client, world, dl)
        assert response.status_code == 200
        page = response.content.decode()
        assert "You have submitted 5 versions of this deliverable today" in page
        assert "submit it tomorrow" in page
        assert Submission.objects.count() == 5
        assert not Draft.objects.exists()
        # What the student typed is still in the form, ready to save as a draft.
        assert PLAN_ANSWERS["career_exploration__people"] in page

    def test_the_programs_own_limit_is_used(self, client, world, dl):
        set_rules(world.program, versions_per_day=2)
        assert submit_plan(client, world, dl).status_code == 302
        assert submit_plan(client, world, dl).status_code == 302
        response = submit_plan(client, world, dl)
        assert "You have submitted 2 versions of this deliverable today" in response.text
        assert Submission.objects.count() == 2
        set_rules(world.program, versions_per_day=3)
        assert submit_plan(client, world, dl).status_code == 302

    def test_a_draft_can_still_be_saved_once_the_day_is_used_up(self, client, world, dl):
        set_rules(world.program, versions_per_day=1)
        earlier_versions(dl.plan, dl.enrollment, 1)
        client.force_login(world.student)
        url = reverse("deliverable_detail", args=[dl.plan.pk])
        response = client.post(url, {"action": "draft", **PLAN_ANSWERS})
        assert response.status_code == 302
        assert Draft.objects.get().content == PLAN_ANSWERS

    def test_other_students_and_other_deliverables_do_not_count(self, client, world, dl):
        set_rules(world.program, versions_per_day=1)
        earlier_versions(dl.plan, dl.rival_enrollment, 1)
        earlier_versions(dl.report, dl.enrollment, 1)
        earlier_versions(dl.record, dl.enrollment, 1)
        assert submit_plan(client, world, dl).status_code == 302
        assert Submission.objects.filter(requirement=dl.plan, enrollment=dl.enrollment).exists()

    def test_a_new_calendar_day_starts_a_new_count(self, world, dl):
        set_rules(world.program, versions_per_day=1)
        today = timezone.localdate()
        kept = {"requirement": dl.plan, "enrollment": dl.enrollment, "content": PLAN_ANSWERS}
        submit(**kept, now=local(today, 0, 5))
        with pytest.raises(LimitReached, match="You have submitted 1 version of"):
            submit(**kept, now=local(today, 23, 59))
        # Midnight in the site's time zone, not 24 hours after the last version.
        version = submit(**kept, now=local(today + datetime.timedelta(days=1), 0, 1))
        assert version.number == 2
        assert Submission.objects.count() == 2


class TestFileSpace:
    def test_a_file_beyond_the_space_left_is_refused_and_nothing_is_stored(
        self, client, world, dl, media
    ):
        set_rules(world.program, upload_space_mb=1)
        earlier_versions(dl.report, dl.enrollment, 1, size=700 * KB)
        response = submit_report(client, world, dl, pdf(400 * KB))
        assert response.status_code == 200
        assert (
            "This file is 400.0\xa0KB, but only 324.0\xa0KB of your 1.0\xa0MB of file space "
            "in this cycle is left." in response.text
        )
        assert Submission.objects.count() == 1
        assert len(stored_files(media)) == 1
        # The error sits on the file field; the typed text stays.
        assert response.context["form"].errors["file"]
        assert 'value="Analyst"' in response.text

    def test_a_file_that_exactly_fills_the_space_is_taken(self, client, world, dl, media):
        set_rules(world.program, upload_space_mb=1)
        earlier_versions(dl.report, dl.enrollment, 1, size=700 * KB)
        response = submit_report(client, world, dl, pdf(324 * KB))
        assert response.status_code == 302
        assert Submission.objects.get(number=2).file_size == 324 * KB

    def test_the_space_counts_every_deliverable_of_the_cycle(self, client, world, dl, media):
        set_rules(world.program, upload_space_mb=1)
        portfolio = DeliverableKind.objects.create(
            program=world.program, code="portfolio", name="Portfolio"
        )
        other = f.RequirementFactory(cycle=world.cycle, kind=portfolio)
        earlier_versions(other, dl.enrollment, 1, size=900 * KB)
        response = submit_report(client, world, dl, pdf(200 * KB))
        assert "only 124.0\xa0KB of your 1.0\xa0MB" in response.text
        assert not Submission.objects.filter(requirement=dl.report).exists()

    def test_other_students_files_and_earlier_cycles_do_not_count(self, client, world, dl, media):
        set_rules(world.program, upload_space_mb=1)
        earlier_versions(dl.report, dl.rival_enrollment, 1, size=900 * KB)
        old_cycle = f.CycleFactory(program=world.program, name="2025-2026", stage="tracking")
        old_enrollment = f.EnrollmentFactory(student=dl.enrollment.student, cycle=old_cycle)
        old_report = f.RequirementFactory(cycle=old_cycle, kind_code="internship_report")
        earlier_versions(old_report, old_enrollment, 1, size=900 * KB)
        assert submit_report(client, world, dl, pdf(500 * KB)).status_code == 302

    def test_a_version_without_a_file_needs_no_space(self, client, world, dl, media):
        set_rules(world.program, upload_space_mb=1)
        earlier_versions(dl.report, dl.enrollment, 1, size=1024 * KB)
        assert submit_plan(client, world, dl).status_code == 302


class TestPage:
    def test_the_page_shows_what_is_left(self, client, world, dl, media):
        earlier_versions(dl.report, dl.enrollment, 2, size=300 * KB)
        client.force_login(world.student)
        page = client.get(reverse("deliverable_detail", args=[dl.report.pk])).text
        assert "You can submit 3 more versions of this deliverable today." in page
        assert "Your files in this cycle: 600.0\xa0KB of 50.0\xa0MB used." in page

    def test_a_form_without_a_file_leaves_out_the_space(self, client, world, dl):
        client.force_login(world.student)
        page = client.get(reverse("deliverable_detail", args=[dl.plan.pk])).text
        assert "You can submit 5 more versions of this deliverable today." in page
        assert "Your files in this cycle" not in page

    def test_the_page_says_when_the_day_is_used_up(self, client, world, dl):
        set_rules(world.program, versions_per_day=1)
        earlier_versions(dl.plan, dl.enrollment, 1)
        client.force_login(world.student)
        page = client.get(reverse("deliverable_detail", args=[dl.plan.pk])).text
        assert "No more versions of this deliverable today (your program allows 1 a day)" in page


class TestRecordedSize:
    def test_a_version_records_its_files_size(self, dl, media):
        earlier_versions(dl.report, dl.enrollment, 1, size=10 * KB)
        assert Submission.objects.get().file_size == 10 * KB

    def test_the_migration_fills_in_the_size_of_older_files(self, dl, media):
        earlier_versions(dl.report, dl.enrollment, 1, size=10 * KB)
        f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment)
        Submission.objects.update(file_size=0)
        migration = importlib.import_module("assessments.migrations.0004_submission_file_size")
        migration.record_sizes(apps, None)
        sizes = dict(Submission.objects.values_list("requirement", "file_size"))
        assert sizes == {dl.report.pk: 10 * KB, dl.plan.pk: 0}


@pytest.mark.postgres_concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_submits_cannot_both_take_the_last_version(world, dl):
    set_rules(world.program, versions_per_day=1)
    barrier = threading.Barrier(2)
    outcomes = []

    def hand_in():
        try:
            barrier.wait()
            submit(requirement=dl.plan, enrollment=dl.enrollment, content=PLAN_ANSWERS)
            outcomes.append("taken")
        except LimitReached:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=hand_in) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "taken"]
    assert Submission.objects.count() == 1
