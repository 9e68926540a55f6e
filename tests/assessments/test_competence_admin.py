"""Coordinators word the level descriptors of their own programs' dimensions."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import LevelDescriptor, SelfAssessment
from programs.models import CompetenceDimension
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_coordinator_adds_descriptor_for_own_dimension_only(client, world):
    own = CompetenceDimension.objects.filter(program=world.program).first()
    foreign = CompetenceDimension.objects.filter(program=world.other_program).first()
    client.force_login(world.coordinator)
    url = reverse("admin:assessments_leveldescriptor_add")
    response = client.get(url)
    choices = set(
        response.context["adminform"].form.fields["dimension"].queryset.values_list("pk", flat=True)
    )
    assert own.pk in choices
    assert foreign.pk not in choices
    response = client.post(url, {"dimension": foreign.pk, "level": 3, "text": "Sneaky"})
    assert response.status_code == 200
    assert not LevelDescriptor.objects.exists()
    response = client.post(url, {"dimension": own.pk, "level": 3, "text": "Knows themself"})
    assert response.status_code == 302
    assert LevelDescriptor.objects.get().text == "Knows themself"


@pytest.mark.parametrize("level", [0, 6])
def test_descriptor_level_out_of_range_is_refused(client, world, level):
    own = CompetenceDimension.objects.filter(program=world.program).first()
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:assessments_leveldescriptor_add"),
        {"dimension": own.pk, "level": level, "text": "x"},
    )
    assert response.status_code == 200
    assert not LevelDescriptor.objects.exists()


def test_other_coordinator_does_not_see_descriptors(client, world):
    own = CompetenceDimension.objects.filter(program=world.program).first()
    descriptor = LevelDescriptor.objects.create(dimension=own, level=1, text="Just starting")
    client.force_login(world.other_coordinator)
    response = client.get(reverse("admin:assessments_leveldescriptor_changelist"))
    assert list(response.context["cl"].result_list) == []
    response = client.get(reverse("admin:assessments_leveldescriptor_change", args=[descriptor.pk]))
    assert response.status_code == 302


def test_self_assessments_are_listed_newest_first(client, world):
    first, second = (f.EnrollmentFactory(cycle=world.cycle) for _ in range(2))
    older = SelfAssessment.objects.create(
        enrollment=second, moment="start", submitted_at=timezone.now()
    )
    newer = SelfAssessment.objects.create(
        enrollment=first, moment="start", submitted_at=timezone.now()
    )
    client.force_login(world.coordinator)
    url = reverse("admin:assessments_selfassessment_changelist")
    assert list(client.get(url).context["cl"].result_list)[:2] == [newer, older]
