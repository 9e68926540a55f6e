"""What students and mentors see of their matches on their home pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Engagement, Enrollment, StudentPreference
from programs.models import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(world):
    """The student persona matched to the mentor persona in their cycle, unpublished."""
    enrollment = Enrollment.objects.get(student__user=world.student, cycle=world.cycle)
    enrollment.statement = "I want to learn about risk management."
    enrollment.save(update_fields=["statement"])
    engagement = Engagement.objects.get(mentor__user=world.mentor, cycle=world.cycle)
    profile = world.mentor.mentor_profile
    profile.organisation, profile.title = "Acme Bank", "Chief economist"
    profile.save(update_fields=["organisation", "title"])
    world.mentor.phone = "+86 10 5555 0101"
    world.mentor.save(update_fields=["phone"])
    student = world.student.student_profile
    student.major, student.year = "Finance", 3
    student.save(update_fields=["major", "year"])
    return f.MatchFactory(enrollment=enrollment, engagement=engagement)


def publish(match):
    match.published_at = timezone.now()
    match.save(update_fields=["published_at"])


def test_student_sees_the_published_mentor(client, world, match):
    publish(match)
    client.force_login(world.student)
    page = client.get(reverse("student_home")).content.decode()
    assert "Your mentor" in page
    for text in ("Max Mentor", "Acme Bank", "Chief economist", "mentor@example.test", "5555 0101"):
        assert text in page


def test_student_does_not_see_an_unpublished_mentor(client, world, match):
    client.force_login(world.student)
    page = client.get(reverse("student_home")).content.decode()
    assert "mentor@example.test" not in page
    assert "Matching results are not published yet." in page


def test_student_who_ranked_in_selection_is_told_results_are_not_out(client, world):
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage=Stage.SELECTION)
    engagement = f.EngagementFactory(cycle=cycle)
    enrollment = f.EnrollmentFactory(
        cycle=cycle, student=world.student.student_profile, status="applied"
    )
    client.force_login(world.student)

    def notices():
        return client.get(reverse("student_home")).content.decode().count("not published yet")

    before = notices()  # the persona's tracking cycle has no published match either
    StudentPreference.objects.create(enrollment=enrollment, engagement=engagement, rank=1)
    assert notices() == before + 1


def test_mentor_sees_published_mentees(client, world, match):
    other = f.MatchFactory(engagement=match.engagement, enrollment__cycle=world.cycle)
    publish(match)
    client.force_login(world.mentor)
    page = client.get(reverse("mentor_home")).content.decode()
    assert page.count('class="list-group-item mentee') == 1
    for text in ("Stu Student", "student@example.test", "Finance", "year 3", "risk management"):
        assert text in page
    assert other.enrollment.student.user.email not in page


def test_mentor_sees_no_mentees_before_publication(client, world, match):
    client.force_login(world.mentor)
    page = client.get(reverse("mentor_home")).content.decode()
    assert "student@example.test" not in page
    assert "list-group-item mentee" not in page


def test_other_people_do_not_see_the_match(client, world, match):
    publish(match)
    client.force_login(world.other_student)
    assert "Max Mentor" not in client.get(reverse("student_home")).content.decode()
    client.force_login(world.other_mentor)
    assert "Stu Student" not in client.get(reverse("mentor_home")).content.decode()


def test_coaching_students_are_not_told_about_mentor_results(client, world):
    coaching = f.CycleFactory(program__kind="coaching", stage=Stage.TRACKING)
    f.EnrollmentFactory(cycle=coaching, student=world.student.student_profile, status="matched")
    client.force_login(world.student)
    before = client.get(reverse("student_home")).content.decode().count("not published yet")
    world.cycle.program.kind = "coaching"
    world.cycle.program.save(update_fields=["kind"])
    after = client.get(reverse("student_home")).content.decode().count("not published yet")
    assert before == 1 and after == 0  # only the persona's mentor-program cycle said it


@pytest.mark.parametrize(
    ("status", "offered"),
    [("applied", True), ("waitlisted", True), ("matched", False), ("withdrawn", False)],
)
def test_choosing_is_offered_until_the_student_is_placed(client, world, status, offered):
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage=Stage.SELECTION)
    f.EnrollmentFactory(cycle=cycle, student=world.student.student_profile, status=status)
    client.force_login(world.student)
    assert ("Choose your mentors" in client.get(reverse("student_home")).text) == offered
