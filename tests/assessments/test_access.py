"""Who reaches each deliverable page and the file download.

Allowed roles get 200; a mentor of another group and a student of another
mentor get 404; a role without the right gets 403; anonymous people go to login.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import Review, Submission
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(dl):
    submission = Submission(
        requirement=dl.report, enrollment=dl.enrollment, number=1, content={"role": "Analyst"}
    )
    submission.file.save("upload.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    submission.save()
    return submission


def who(world, dl, name):
    return {
        "student": world.student,
        "other_student": world.other_student,
        "rival_student": dl.rival_student,
        "mentor": world.mentor,
        "matched": dl.matched,
        "rival_coach": dl.rival_coach,
        "other_mentor": world.other_mentor,
        "coordinator": world.coordinator,
        "steering": world.steering,
        "other_coordinator": world.other_coordinator,
        "no_role": dl.no_role,
    }[name]


def status_of(client, user, url):
    if user is None:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        return "login"
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("student", 200),
        ("rival_student", 200),  # the same cycle asks them too
        ("other_student", 404),
        ("mentor", 403),
        ("coordinator", 403),
        (None, "login"),
    ],
)
def test_student_requirement_page(client, world, dl, persona, expected):
    user = who(world, dl, persona) if persona else None
    url = reverse("deliverable_detail", args=[dl.plan.pk])
    assert status_of(client, user, url) == expected


@pytest.mark.parametrize(
    "persona, expected",
    [("student", 200), ("other_student", 200), ("mentor", 403), (None, "login")],
)
def test_student_deliverable_list(client, world, dl, persona, expected):
    user = who(world, dl, persona) if persona else None
    assert status_of(client, user, reverse("deliverable_list")) == expected


def test_other_student_sees_only_their_own_cycles_requirements(client, world, dl):
    client.force_login(world.other_student)
    page = client.get(reverse("deliverable_list")).content.decode()
    assert reverse("deliverable_detail", args=[dl.plan.pk]) not in page


@pytest.mark.parametrize(
    "persona, expected",
    [("mentor", 200), ("other_mentor", 200), ("student", 403), (None, "login")],
)
def test_review_list(client, world, dl, persona, expected):
    user = who(world, dl, persona) if persona else None
    assert status_of(client, user, reverse("review_list")) == expected


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("mentor", 200),
        ("matched", 200),
        ("rival_coach", 404),
        ("other_mentor", 404),
        ("student", 403),
        ("coordinator", 403),
        (None, "login"),
    ],
)
def test_review_page(client, world, dl, version, persona, expected):
    user = who(world, dl, persona) if persona else None
    assert status_of(client, user, reverse("review_detail", args=[version.pk])) == expected


def test_outsider_mentor_cannot_post_a_review(client, world, dl, version):
    client.force_login(dl.rival_coach)
    url = reverse("review_detail", args=[version.pk])
    response = client.post(url, {"decision": "accepted"})
    assert response.status_code == 404
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("student", 200),
        ("mentor", 200),
        ("matched", 200),
        ("coordinator", 200),
        ("steering", 200),
        ("rival_coach", 404),
        ("rival_student", 404),
        ("other_mentor", 404),
        ("other_student", 404),
        ("other_coordinator", 404),
        ("no_role", 403),
        (None, "login"),
    ],
)
def test_file_download(client, world, dl, version, persona, expected):
    user = who(world, dl, persona) if persona else None
    assert status_of(client, user, reverse("submission_file", args=[version.pk])) == expected


def test_unpublished_match_and_placement_give_no_access(client, world, dl, version):
    waiting = f.MentorProfileFactory()
    other = f.EnrollmentFactory(cycle=world.cycle)
    f.MatchFactory(
        enrollment=other, engagement=f.EngagementFactory(mentor=waiting, cycle=world.cycle)
    )
    hidden = f.SubmissionFactory(requirement=dl.plan, enrollment=other)
    client.force_login(waiting.user)
    assert client.get(reverse("review_detail", args=[hidden.pk])).status_code == 404
    placed = f.GroupPlacementFactory(group=world.team)
    unpublished = f.SubmissionFactory(
        requirement=dl.plan,
        enrollment=f.EnrollmentFactory(student=placed.student, cycle=world.cycle),
    )
    client.force_login(world.mentor)
    assert client.get(reverse("review_detail", args=[unpublished.pk])).status_code == 404


def test_outsiders_cannot_submit_to_a_requirement(client, world, dl):
    url = reverse("deliverable_detail", args=[dl.plan.pk])
    for user, status in ((world.other_student, 404), (world.mentor, 403)):
        client.force_login(user)
        assert client.post(url, {"action": "submit", "text": "Mine"}).status_code == status
    assert not Submission.objects.exists()
