"""The mail ledger in the admin: operators only, read-only, with its states."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("admin:mentorship_notification_changelist")


@pytest.fixture
def rows(world):
    now = timezone.now()
    common = {"recipient": world.mentor, "due_on": now.date(), "payload": {"title": "x"}}
    return {
        "owed": Notification.objects.create(kind="meeting_gap", subject_key="a", **common),
        "sent": Notification.objects.create(
            kind="meeting_gap", subject_key="b", sent_at=now, **common
        ),
        "obsolete": Notification.objects.create(
            kind="meeting_gap", subject_key="c", obsolete_at=now, **common
        ),
    }


def test_an_operator_sees_which_reminders_were_dropped_as_obsolete(client, rows):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    for state, row in rows.items():
        listed = client.get(URL, {"state": state}).context["cl"].result_list
        assert list(listed) == [row]
    page = client.get(reverse("admin:mentorship_notification_change", args=[rows["obsolete"].pk]))
    assert page.status_code == 200 and "Obsolete since" in page.text
    assert client.get(URL, {"state": "nonsense"}).status_code == 200


def test_coordinators_do_not_see_peoples_messages(client, world, rows):
    client.force_login(world.coordinator)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to the sign-in page


def test_the_ledger_is_read_only(client, rows):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    row = rows["owed"]
    change = reverse("admin:mentorship_notification_change", args=[row.pk])
    client.post(change, {"kind": "changed"})
    assert Notification.objects.get(pk=row.pk).kind == "meeting_gap"
    delete = reverse("admin:mentorship_notification_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
