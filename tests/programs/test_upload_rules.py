"""A program's upload rules: defaults, sane ranges in the admin and the database."""

import pytest

from programs.models import Program
from tests import factories as f
from tests.programs.test_constraints import violates
from tests.programs.test_reminder_policy import change_url, edit_form

pytestmark = pytest.mark.django_db


def test_defaults():
    program = f.ProgramFactory()
    assert (program.versions_per_day, program.upload_space_mb) == (5, 50)


@pytest.mark.parametrize(
    "values",
    [
        {"versions_per_day": 0},
        {"versions_per_day": 51},
        {"upload_space_mb": 0},
        {"upload_space_mb": 1025},
    ],
)
def test_the_database_refuses_values_out_of_range(values):
    program = f.ProgramFactory()
    violates(lambda: Program.objects.filter(pk=program.pk).update(**values))


def test_coordinator_sets_the_rules_with_help(client, world):
    client.force_login(world.coordinator)
    page = client.get(change_url(world.program)).text
    assert "the count starts again at midnight" in page
    assert "Each file is also limited on its own" in page
    data = edit_form(world.program)
    data.update(versions_per_day=3, upload_space_mb=200)
    assert client.post(change_url(world.program), data).status_code == 302
    world.program.refresh_from_db()
    assert (world.program.versions_per_day, world.program.upload_space_mb) == (3, 200)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("versions_per_day", 0, "greater than or equal to 1"),
        ("versions_per_day", 51, "less than or equal to 50"),
        ("upload_space_mb", 0, "greater than or equal to 1"),
        ("upload_space_mb", 5000, "less than or equal to 1024"),
    ],
)
def test_admin_refuses_values_out_of_range(client, world, field, value, message):
    client.force_login(world.coordinator)
    data = edit_form(world.program)
    data[field] = value
    response = client.post(change_url(world.program), data)
    assert response.status_code == 200
    assert message in response.text
    world.program.refresh_from_db()
    assert (world.program.versions_per_day, world.program.upload_space_mb) == (5, 50)
