"""``seed_demo`` gives the meeting and activity pages something real for the demo logins."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mentorship.demo.catalogue import ALUMNI, COACHING
from mentorship.demo.plan import COORDINATOR, MENTOR, STUDENT
from mentorship.models import User
from sessions_app.activities import rating_for
from sessions_app.admin_meetings import MeetingAdmin
from sessions_app.models import Activity, Meeting, MeetingParticipant, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", force=True, stdout=io.StringIO())
    return {email: User.objects.get(email=email) for email in (COORDINATOR, MENTOR, STUDENT)}


def test_meetings_in_every_state_and_a_mentee_at_risk(demo, client):
    mine = MeetingParticipant.objects.filter(
        meeting__author__user__email=MENTOR, meeting__cycle__program__name=ALUMNI
    )
    assert {"confirmed", "pending", "disputed"} == set(mine.values_list("status", flat=True))
    assert mine.get(status="disputed").comment
    assert mine.get(status="pending").student.user.email == STUDENT
    assert not Meeting.objects.filter(starts_at__gt=timezone.now()).exists()
    assert Meeting.objects.filter(cycle__program__name=COACHING, group__isnull=False).exists()
    assert Meeting.objects.exclude(author__user__email=MENTOR).count() >= 3

    client.force_login(demo[MENTOR])
    home = client.get(reverse("mentor_home")).content.decode()
    assert "At risk" in home
    assert client.get(reverse("mentor_meetings")).status_code == 200
    client.force_login(demo[STUDENT])
    home = client.get(reverse("student_home")).content.decode()
    assert "Meetings to confirm" in home and "Three Gorges Securities" in home
    assert client.get(reverse("student_meetings")).status_code == 200
    client.force_login(demo[COORDINATOR])
    url = reverse("admin:sessions_app_meeting_changelist")
    pages = range(1, 2 + Meeting.objects.count() // MeetingAdmin.list_per_page)
    page = "".join(client.get(url, {"p": n}).content.decode() for n in pages)
    authors = Meeting.objects.values_list("author__user__full_name", flat=True)
    assert all(name in page for name in set(authors))


def test_activities_to_answer_attend_and_rate(demo, client):
    alumni = Activity.objects.filter(cycle__program__name=ALUMNI)
    salon = alumni.get(kind="exchange_salon")
    assert salon.capacity == 2 and salon.starts_at > timezone.now() and salon.guests.exists()
    statuses = dict(salon.registrations.values_list("user__email", "status"))
    assert statuses[STUDENT] == "going" and "waitlisted" in statuses.values()
    workshop = alumni.get(kind="training")
    assert workshop.attendance_open and not workshop.has_ended
    visit = alumni.get(kind="company_visit")
    assert visit.has_ended and rating_for(visit, demo[STUDENT]) is not None
    session = Activity.objects.get(cycle__program__name=COACHING, kind="action_session")
    assert session.invitations.filter(user__isnull=False).exists()
    assert not Registration.objects.filter(rating__isnull=False, attendance="").exists()

    client.force_login(demo[MENTOR])
    home = client.get(reverse("mentor_home")).content.decode()
    assert salon.title in home and session.title in home
    url = reverse("activity_attendance", args=[workshop.pk])
    assert client.get(url).status_code == 200
    client.force_login(demo[STUDENT])
    home = client.get(reverse("student_home")).content.decode()
    assert salon.title in home and workshop.title in home
    page = client.get(reverse("activity_detail", args=[visit.pk]))
    assert page.status_code == 200
    assert client.get(reverse("activity_list")).status_code == 200
