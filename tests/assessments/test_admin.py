"""Requirement admin scoped to the coordinator's programs; versions read-only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Requirement
from programs.models import DeliverableKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def add_url():
    return reverse("admin:assessments_requirement_add")


def test_coordinator_sees_only_their_programs_requirements(client, world, dl):
    theirs = f.RequirementFactory(cycle=world.other_cycle)
    client.force_login(world.coordinator)
    page = client.get(reverse("admin:assessments_requirement_changelist")).content.decode()
    assert reverse("admin:assessments_requirement_change", args=[dl.plan.pk]) in page
    assert reverse("admin:assessments_requirement_change", args=[theirs.pk]) not in page
    url = reverse("admin:assessments_requirement_change", args=[theirs.pk])
    assert client.get(url).status_code == 302  # the admin's "does not exist" redirect
    client.force_login(world.other_coordinator)
    assert client.get(url).status_code == 200


def test_kind_choices_are_the_coordinators_programs_kinds(client, world):
    client.force_login(world.coordinator)
    form = client.get(add_url()).context["adminform"].form
    kinds = set(form.fields["kind"].queryset)
    assert kinds == set(DeliverableKind.objects.filter(program=world.program))
    cycles = set(form.fields["cycle"].queryset)
    assert world.cycle in cycles and world.other_cycle not in cycles


def test_coordinator_adds_a_requirement_of_their_own_kind(client, world):
    own = DeliverableKind.objects.create(
        program=world.program, code="thesis_outline", name="Thesis outline", position=9
    )
    client.force_login(world.coordinator)
    due = timezone.localtime() + datetime.timedelta(days=30)
    response = client.post(
        add_url(),
        {
            "cycle": world.cycle.pk,
            "kind": own.pk,
            "due_at_0": due.date().isoformat(),
            "due_at_1": "17:00:00",
            "locked": "on",
            "instructions": "Two pages.",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    requirement = Requirement.objects.get(kind=own)
    assert requirement.locked and requirement.cycle == world.cycle


def test_kind_of_another_program_is_refused(world, dl):
    from django.core.exceptions import ValidationError

    other_kind = DeliverableKind.objects.get(program=world.other_program, code="career_plan")
    requirement = Requirement(cycle=world.cycle, kind=other_kind, due_at=timezone.now())
    with pytest.raises(ValidationError, match="cycle's own program"):
        requirement.full_clean()


def test_steering_may_look_but_not_change(client, world, dl):
    client.force_login(world.steering)
    url = reverse("admin:assessments_requirement_change", args=[dl.plan.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(add_url()).status_code == 403


def test_submission_admin_is_read_only(client, world, dl):
    version = f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment)
    f.ReviewFactory(submission=version, reviewer=world.mentor.mentor_profile)
    client.force_login(world.coordinator)
    url = reverse("admin:assessments_submission_change", args=[version.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert "A good start." in page.content.decode()
    assert client.post(url, {"number": 5}).status_code == 403
    assert client.get(reverse("admin:assessments_submission_add")).status_code == 403
    delete = reverse("admin:assessments_submission_delete", args=[version.pk])
    assert client.get(delete).status_code == 403
    version.refresh_from_db()
    assert version.number == 1


def test_the_changelist_counts_each_requirements_versions(client, world, dl):
    enrollment = f.EnrollmentFactory(cycle=world.cycle)
    for number in (1, 2):
        f.SubmissionFactory(requirement=dl.plan, enrollment=enrollment, number=number)
    client.force_login(world.coordinator)
    rows = client.get(reverse("admin:assessments_requirement_changelist")).context["cl"].result_list
    counts = {requirement.pk: requirement.version_count for requirement in rows}
    assert counts[dl.plan.pk] == 2
    assert set(counts.values()) <= {0, 2}
