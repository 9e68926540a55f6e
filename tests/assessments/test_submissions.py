"""Drafts and submitted versions: forms, stage rules, late and locked, immutability."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import Draft, Submission
from programs.models import CompetenceDimension, DeliverableKind, Stage
from tests import factories as f

from .conftest import PLAN_ANSWERS

pytestmark = pytest.mark.django_db


def post(client, requirement, action, **data):
    url = reverse("deliverable_detail", args=[requirement.pk])
    return client.post(url, {"action": action, **data})


def test_draft_is_kept_and_prefills_the_form(client, world, dl):
    client.force_login(world.student)
    response = post(client, dl.plan, "draft", self_awareness__strengths="Patient")
    assert response.status_code == 302
    draft = Draft.objects.get(requirement=dl.plan, enrollment=dl.enrollment)
    assert draft.content == {"self_awareness__strengths": "Patient"}
    assert not Submission.objects.exists()
    page = client.get(reverse("deliverable_detail", args=[dl.plan.pk]))
    assert "Patient" in page.content.decode()
    assert "Draft saved" in page.content.decode()
    # Saving again overwrites the one draft.
    post(client, dl.plan, "draft", self_awareness__strengths="Very patient")
    draft.refresh_from_db()
    assert draft.content == {"self_awareness__strengths": "Very patient"}
    assert Draft.objects.count() == 1


def test_submit_creates_version_one_and_uses_the_draft_up(client, world, dl):
    client.force_login(world.student)
    post(client, dl.plan, "draft", self_awareness__strengths="Patient")
    response = post(client, dl.plan, "submit", **PLAN_ANSWERS, free_text="More")
    assert response.status_code == 302
    version = Submission.objects.get()
    assert version.number == 1
    assert version.late is False
    assert version.content == {**PLAN_ANSWERS, "free_text": "More"}
    assert not Draft.objects.exists()
    page = client.get(reverse("deliverable_detail", args=[dl.plan.pk])).content.decode()
    assert "Version 1" in page
    assert "Two auditors" in page
    assert "Submitted" in page


def test_submit_asks_for_every_question_and_stores_nothing(client, world, dl):
    client.force_login(world.student)
    response = post(client, dl.plan, "submit", self_awareness__strengths="Patient")
    assert response.status_code == 200
    assert "Fill this in before you submit." in response.content.decode()
    assert not Submission.objects.exists()
    assert not Draft.objects.exists()


def test_a_dimension_added_by_the_program_gets_a_free_text_question(client, world, dl):
    CompetenceDimension.objects.create(
        program=world.program, code="networking", name="Networking", position=9
    )
    client.force_login(world.student)
    page = client.get(reverse("deliverable_detail", args=[dl.plan.pk])).content.decode()
    assert "Networking" in page
    assert 'name="networking__notes"' in page
    response = post(client, dl.plan, "submit", **PLAN_ANSWERS)
    assert "Fill this in before you submit." in response.content.decode()
    post(client, dl.plan, "submit", **PLAN_ANSWERS, networking__notes="Alumni events")
    assert Submission.objects.get().content["networking__notes"] == "Alumni events"


def test_internship_report_dates_must_be_in_order(client, world, dl):
    client.force_login(world.student)
    data = dict(
        organisation="Bank",
        role="Analyst",
        start_date="2026-07-01",
        end_date="2026-06-01",
        responsibilities="Reconciliations",
        learned="Excel",
    )
    response = post(client, dl.report, "submit", **data)
    assert "The internship cannot end before it starts." in response.content.decode()
    assert not Submission.objects.exists()
    post(client, dl.report, "submit", **{**data, "end_date": "2026-08-31"})
    assert Submission.objects.get().content["end_date"] == "2026-08-31"


def test_generic_kind_needs_text_or_a_file(client, world, dl):
    kind = DeliverableKind.objects.create(
        program=world.program, code="salon_summary", name="Salon summary"
    )
    summary = f.RequirementFactory(cycle=world.cycle, kind=kind)
    client.force_login(world.student)
    response = post(client, summary, "submit", text="")
    assert "Write something or attach a file before you submit." in response.content.decode()
    post(client, summary, "submit", text="We met four times.")
    assert Submission.objects.get().content == {"text": "We met four times."}


@pytest.mark.parametrize("stage", [Stage.SELECTION, Stage.EVALUATION, Stage.CLOSED])
def test_submissions_are_closed_outside_kick_off_and_tracking(client, world, dl, stage):
    world.cycle.stage = stage
    world.cycle.save(update_fields=["stage"])
    client.force_login(world.student)
    page = client.get(reverse("deliverable_detail", args=[dl.plan.pk])).content.decode()
    assert "during kick-off and process tracking only" in page
    assert 'value="submit"' not in page
    response = post(client, dl.plan, "submit", **PLAN_ANSWERS)
    assert "during kick-off and process tracking only" in response.content.decode()
    response = post(client, dl.plan, "draft", **PLAN_ANSWERS)
    assert not Submission.objects.exists()
    assert not Draft.objects.exists()


def test_submissions_open_in_kick_off(client, world, dl):
    world.cycle.stage = Stage.KICK_OFF
    world.cycle.save(update_fields=["stage"])
    client.force_login(world.student)
    post(client, dl.plan, "submit", **PLAN_ANSWERS)
    assert Submission.objects.count() == 1


def test_late_submission_is_marked_late_not_refused(client, world, dl):
    dl.plan.due_at = timezone.now() - datetime.timedelta(days=1)
    dl.plan.save(update_fields=["due_at"])
    client.force_login(world.student)
    response = post(client, dl.plan, "submit", **PLAN_ANSWERS)
    assert Submission.objects.get().late is True
    page = client.get(response["Location"]).content.decode()
    assert "marked late" in page


def test_locked_requirement_refuses_late_submissions(client, world, dl):
    dl.plan.due_at = timezone.now() - datetime.timedelta(days=1)
    dl.plan.locked = True
    dl.plan.save(update_fields=["due_at", "locked"])
    client.force_login(world.student)
    response = post(client, dl.plan, "submit", **PLAN_ANSWERS)
    assert "no longer accepts" in response.content.decode()
    assert not Submission.objects.exists()


def test_locked_requirement_still_takes_submissions_before_the_due_date(client, world, dl):
    dl.plan.locked = True
    dl.plan.save(update_fields=["locked"])
    client.force_login(world.student)
    post(client, dl.plan, "submit", **PLAN_ANSWERS)
    assert Submission.objects.get().late is False


def test_withdrawn_student_may_read_but_not_submit(client, world, dl):
    dl.enrollment.status = "withdrawn"
    dl.enrollment.save(update_fields=["status"])
    client.force_login(world.student)
    assert client.get(reverse("deliverable_detail", args=[dl.plan.pk])).status_code == 200
    assert post(client, dl.plan, "submit", **PLAN_ANSWERS).status_code == 404
    assert not Submission.objects.exists()


def test_versions_are_never_changed_or_deleted(world, dl):
    version = f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment)
    version.content = {"text": "rewritten"}
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    review = f.ReviewFactory(submission=version)
    review.comment = "changed"
    with pytest.raises(ValidationError):
        review.save()
    version.refresh_from_db()
    assert version.content == {"self_awareness__strengths": "Patient"}


def test_version_numbers_are_unique_per_student_and_requirement(world, dl):
    from django.db import IntegrityError

    f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment, number=1)
    with pytest.raises(IntegrityError):
        f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment, number=1)
