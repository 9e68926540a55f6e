import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("preferences"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_person_changes_own_name_and_language(client, world):
    client.force_login(world.mentor)
    response = client.post(
        reverse("preferences"), {"full_name": "Max M. Mentor", "preferred_language": "zh-hans"}
    )
    assert response.status_code == 302
    world.mentor.refresh_from_db()
    assert (world.mentor.full_name, world.mentor.preferred_language) == (
        "Max M. Mentor",
        "zh-hans",
    )
    page = client.get(reverse("mentor_home"))
    assert page.headers["Content-Language"] == "zh-hans"


def test_bad_input_changes_nothing(client, world):
    client.force_login(world.student)
    response = client.post(reverse("preferences"), {"full_name": "", "preferred_language": "xx"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"full_name", "preferred_language"}
    world.student.refresh_from_db()
    assert world.student.full_name == "Stu Student"


def test_only_own_record_is_edited(client, world):
    client.force_login(world.student)
    client.post(
        reverse("preferences"),
        {"full_name": "Renamed", "preferred_language": "en", "pk": world.mentor.pk},
    )
    world.mentor.refresh_from_db()
    assert world.mentor.full_name == "Max Mentor"
