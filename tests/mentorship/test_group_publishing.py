"""Publishing group placements: committing shows nobody anything, publishing does."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from mentorship import publishing
from mentorship.models import Group, GroupMembership
from mentorship.publishing import PublishingError, publish_group_placements
from programs.models import GroupContacts, Stage
from tests import factories as f

from .group_publishing_setup import commit, commit_groups, make_groups, placements, publish, rank
from .test_publishing import is_chinese, mail_to, spy_languages

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(world):
    return make_groups(world)


@pytest.fixture
def committed(world, groups):
    return commit_groups(world, groups)


# The model ----------------------------------------------------------------------


def test_commit_leaves_run_placements_unpublished_and_hand_placements_published(world, committed):
    cycle, big, *_ = committed
    assert placements(cycle).count() == 3
    assert not placements(cycle).filter(published_at__isnull=False).exists()
    assert not GroupMembership.objects.filter(run__isnull=True, published_at__isnull=True).exists()


def test_only_run_placed_students_may_wait_unpublished(world, groups):
    _, big, *_ = groups
    with transaction.atomic(), pytest.raises(IntegrityError):
        f.GroupMembershipFactory(group=big, role="coach", published_at=None)
    with transaction.atomic(), pytest.raises(IntegrityError):
        f.GroupMembershipFactory(
            group=big,
            role="student",
            mentor=None,
            student=f.StudentProfileFactory(),
            run=None,
            published_at=None,
        )


def test_a_waiting_placement_turned_coach_by_hand_is_published(world, committed):
    cycle, big, *_ = committed
    membership = placements(cycle).first()
    membership.role, membership.student, membership.run = "coach", None, None
    membership.mentor = f.MentorProfileFactory()
    membership.full_clean()
    assert membership.published_at is not None


# The service --------------------------------------------------------------------


def test_publish_marks_placements_and_mails_students_and_leaders(
    world, committed, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, big, small, students = committed

    assert publish(world, cycle, django_capture_on_commit_callbacks) == 3

    assert not placements(cycle).filter(published_at__isnull=True).exists()
    to = sorted(address for mail in mailoutbox for address in mail.to)
    placed = [s.student.user.email for s in students[:3]]
    assert to == sorted([*placed, "mentor@example.test", "lena@example.test"])
    student_mail = mail_to(mailoutbox, students[0].student.user.email)
    assert str(cycle) in student_mail.subject
    body = student_mail.body
    for text in ("Big", "Industry", "Green finance", "Max Mentor", "mentor@example.test"):
        assert text in body
    assert reverse("group_detail", args=[big.pk]) in body
    assert "plain-coach@example.test" not in body  # only the leaders are named
    html, mime = student_mail.alternatives[0]
    assert mime == "text/html" and "Max Mentor" in html
    chief_mail = mail_to(mailoutbox, "mentor@example.test")
    assert "Big" in chief_mail.subject
    assert "Student 0" in chief_mail.body and "Student 1" in chief_mail.body
    assert "Student 2" not in chief_mail.body
    assert students[0].student.user.email in chief_mail.body and "Economics" in chief_mail.body
    lena_mail = mail_to(mailoutbox, "lena@example.test")
    assert "Student 2" in lena_mail.body and reverse("group_detail", args=[small.pk]) in (
        lena_mail.body
    )


def test_mail_is_in_each_recipients_language(
    world, committed, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    cycle, _, _, students = committed
    for user in (students[0].student.user, world.mentor):
        user.preferred_language = "zh-hans"
        user.save(update_fields=["preferred_language"])
    languages = spy_languages(monkeypatch)
    publish(world, cycle, django_capture_on_commit_callbacks)
    assert languages[students[0].student.user.email] == {"zh-hans"}
    assert languages["mentor@example.test"] == {"zh-hans"}
    assert languages[students[1].student.user.email] == {"en"}
    assert languages["lena@example.test"] == {"en"}
    assert translation.get_language() == "en"
    assert is_chinese(mail_to(mailoutbox, "mentor@example.test").subject)
    assert not is_chinese(mail_to(mailoutbox, "lena@example.test").subject)


def test_contacts_in_the_mails_follow_the_program_setting(
    world, committed, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, _, _, students = committed
    world.program.group_contacts = GroupContacts.NAMES
    world.program.save(update_fields=["group_contacts"])
    publish(world, cycle, django_capture_on_commit_callbacks)
    student_mail = mail_to(mailoutbox, students[0].student.user.email)
    assert "Max Mentor" in student_mail.body and "mentor@example.test" not in student_mail.body
    chief_mail = mail_to(mailoutbox, "mentor@example.test")
    assert "Student 0" in chief_mail.body
    assert students[0].student.user.email not in chief_mail.body


def test_publishing_again_mails_nobody(
    world, committed, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, *_ = committed
    publish(world, cycle, django_capture_on_commit_callbacks)
    first = dict(placements(cycle).values_list("pk", "published_at"))
    mailoutbox.clear()
    assert publish(world, cycle, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []
    assert dict(placements(cycle).values_list("pk", "published_at")) == first


def test_second_round_mails_only_the_new_students_and_their_leaders(
    world, groups, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, big, small, students = groups
    rank(students[0], big)
    commit(world, cycle)
    publish(world, cycle, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    rank(students[1], small)
    commit(world, cycle)
    assert publish(world, cycle, django_capture_on_commit_callbacks) == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [students[1].student.user.email, "lena@example.test"]
    )


def test_nothing_committed_is_refused(world, groups, mailoutbox):
    cycle, big, *_ = groups
    # Students added by hand are no run's placements: they were shown at once.
    f.GroupMembershipFactory(
        group=big, role="student", mentor=None, student=f.StudentProfileFactory()
    )
    with pytest.raises(PublishingError, match="no committed group placements"):
        publish_group_placements(cycle=cycle, by=world.coordinator)
    assert mailoutbox == []


def test_a_closed_cycle_is_refused(world, committed):
    cycle, *_ = committed
    cycle.stage = Stage.CLOSED
    cycle.save(update_fields=["stage"])
    with pytest.raises(PublishingError, match="closed"):
        publish_group_placements(cycle=cycle, by=world.coordinator)
    assert not placements(cycle).filter(published_at__isnull=False).exists()


def test_no_mail_when_the_transaction_rolls_back(world, committed, mailoutbox):
    cycle, *_ = committed
    publish_group_placements(cycle=cycle, by=world.coordinator)
    assert mailoutbox == []


def test_mentor_publication_leaves_group_placements_alone(world, committed):
    cycle, *_ = committed
    f.MatchFactory(enrollment__cycle=cycle)
    publishing.publish_matches(cycle=cycle, by=world.coordinator)
    assert not placements(cycle).filter(published_at__isnull=False).exists()


# What students and coaches see -------------------------------------------------


def group_url(group):
    return reverse("group_detail", args=[group.pk])


def test_students_and_coaches_see_placements_only_once_published(
    client, world, committed, django_capture_on_commit_callbacks
):
    cycle, big, _, students = committed
    placed = students[0].student.user

    client.force_login(placed)
    assert "Big" not in client.get(reverse("student_home")).text
    assert client.get(group_url(big)).status_code == 404
    assert not Group.objects.visible_to(placed).exists()
    assert not Group.objects.with_member(placed).exists()
    client.force_login(world.mentor)
    home = client.get(reverse("mentor_home"))
    assert "Big" in home.text
    big_row = next(m for m in home.context["memberships"] if m.group_id == big.pk)
    assert big_row.student_count == 0
    assert "Student 0" not in client.get(group_url(big)).text

    publish(world, cycle, django_capture_on_commit_callbacks)

    client.force_login(placed)
    assert "Big" in client.get(reverse("student_home")).text
    page = client.get(group_url(big))
    assert page.status_code == 200 and "Max Mentor" in page.text and "Student 1" in page.text
    assert set(Group.objects.visible_to(placed)) == {big}
    assert set(Group.objects.with_member(placed)) == {big}
    client.force_login(world.mentor)
    home = client.get(reverse("mentor_home"))
    big_row = next(m for m in home.context["memberships"] if m.group_id == big.pk)
    assert big_row.student_count == 2
    assert "Student 0" in client.get(group_url(big)).text


@pytest.mark.parametrize("persona", ["coordinator", "steering"])
def test_program_staff_see_waiting_placements_marked(client, world, committed, persona):
    _, big, *_ = committed
    client.force_login(getattr(world, persona))
    page = client.get(group_url(big)).text
    assert "Student 0" in page and "Not published yet" in page


# The admin page -----------------------------------------------------------------


def preview_url(cycle):
    return reverse("admin:mentorship_matchingrun_group_preview", args=[cycle.pk])


def publish_url(cycle):
    return reverse("admin:mentorship_matchingrun_group_publish", args=[cycle.pk])


def test_page_shows_the_publication_and_the_students_without_a_group(client, world, committed):
    cycle, *_ = committed
    client.force_login(world.coordinator)
    page = client.get(preview_url(cycle)).text
    assert "3 of 3 group placements are not published yet" in page
    assert "Publish 3 group placements" in page
    assert publish_url(cycle) in page
    assert "Students without a group (1)" in page and "Student 3" in page
    mentor_page = client.get(reverse("admin:mentorship_matchingrun_preview", args=[cycle.pk]))
    assert "group placements" not in mentor_page.text
    assert "Students without a mentor" not in mentor_page.text


def test_no_sections_before_a_commit(client, world, groups):
    cycle, *_ = groups
    client.force_login(world.coordinator)
    page = client.get(preview_url(cycle)).text
    assert 'id="publication"' not in page and "Students without a group" not in page


def test_coordinator_publishes_from_the_page(
    client, world, committed, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, *_ = committed
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish_url(cycle), {"confirmed": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == preview_url(cycle)
    assert "3 group placements are published" in response.text
    assert "Publish 3 group placements" not in response.text
    assert len(mailoutbox) == 5
    assert not placements(cycle).filter(published_at__isnull=True).exists()

    response = client.post(publish_url(cycle), {"confirmed": "1"})
    assert response.status_code == 409
    assert "Everything committed is published already" in response.text


def test_publish_without_placements_shows_why(client, world, groups):
    cycle, *_ = groups
    client.force_login(world.coordinator)
    response = client.post(publish_url(cycle), {"confirmed": "1"})
    assert "no committed group placements to publish" in response.text


def test_publish_asks_first_and_says_who_is_told(client, world, committed):
    cycle, *_ = committed
    client.force_login(world.coordinator)
    page = client.get(publish_url(cycle)).text
    assert "3 group placements are published" in page
    assert "told by e-mail (students: 3, chief or leading coaches:" in page
    assert not placements(cycle).filter(published_at__isnull=False).exists()


def test_steering_may_not_publish(client, world, committed):
    cycle, *_ = committed
    client.force_login(world.steering)
    assert client.post(publish_url(cycle), {"confirmed": "1"}).status_code == 403
    page = client.get(preview_url(cycle)).text
    assert "3 of 3 group placements" in page and "Publish 3 group placements" not in page
    assert not placements(cycle).filter(published_at__isnull=False).exists()


def test_other_programs_coordinator_gets_404(client, world, committed):
    cycle, *_ = committed
    client.force_login(world.other_coordinator)
    assert client.post(publish_url(cycle), {"confirmed": "1"}).status_code == 404
    assert not placements(cycle).filter(published_at__isnull=False).exists()


def test_anonymous_goes_to_login(client, committed):
    cycle, *_ = committed
    response = client.post(publish_url(cycle), {"confirmed": "1"})
    assert response.status_code == 302 and "/login/" in response.url


def test_committed_page_query_count_does_not_grow(client, world, groups):
    """With the publication and the students-without-a-group sections, at two sizes."""
    cycle, big, small, _ = groups
    client.force_login(world.coordinator)

    def measure(students):
        group = f.GroupFactory(cycle=cycle, kind="industry", capacity=2)
        for _ in range(students):
            rank(f.EnrollmentFactory(cycle=cycle, status="applied"), group, big, small)
        commit(world, cycle)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(preview_url(cycle)).text
        assert "Students without a group" in page and "Publish" in page
        return len(queries)

    assert measure(6) == measure(20)


# Kick-off -----------------------------------------------------------------------
