"""Publishing committed matches: the service, its e-mails and the admin button."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from config.celery import app
from mentorship import emails, events, tasks
from mentorship.matching_runs import commit_run, run_matching
from mentorship.models import Match
from mentorship.publishing import PublishingError, publish_matches
from programs.models import PendingTask, Stage
from tests import factories as f
from tests.programs.test_broker_down import forget_broker_connections

from .test_matching_runs import rank

pytestmark = pytest.mark.django_db


@pytest.fixture
def selection(world):
    """A cycle in selection: two mentors (capacity 2), five students ranking them."""
    cycle = f.CycleFactory(program=world.program, name="2027-2028", stage=Stage.SELECTION)
    mentors = [
        f.EngagementFactory(
            cycle=cycle,
            capacity=2,
            mentor__organisation="Acme Bank",
            mentor__title="Chief economist",
            mentor__user__phone="+86 10 5555 0101",
        )
        for _ in range(2)
    ]
    students = [
        f.EnrollmentFactory(cycle=cycle, status="applied", statement=f"Statement {i}")
        for i in range(5)
    ]
    return cycle, mentors, students


def commit(cycle, by):
    return commit_run(run=run_matching(cycle=cycle, by=by), by=by)


def publish(cycle, by, capture):
    with capture(execute=True):
        return publish_matches(cycle=cycle, by=by)


def test_publish_marks_matches_and_mails_both_sides(
    world, selection, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, (a, b), students = selection
    for student in students[:3]:
        rank(student, a, b)
    commit(cycle, world.coordinator)

    count = publish(cycle, world.coordinator, django_capture_on_commit_callbacks)

    assert count == 3
    assert not Match.objects.filter(published_at__isnull=True).exists()
    to = sorted(address for mail in mailoutbox for address in mail.to)
    people = [s.student.user.email for s in students[:3]] + [m.mentor.user.email for m in (a, b)]
    assert to == sorted(people)
    student_mail = next(m for m in mailoutbox if m.to == [students[0].student.user.email])
    mentor = Match.objects.get(enrollment=students[0]).engagement.mentor
    assert str(cycle) in student_mail.subject
    assert mentor.user.full_name in student_mail.body
    assert mentor.user.email in student_mail.body
    assert "Acme Bank" in student_mail.body and "+86 10 5555 0101" in student_mail.body
    assert "/student/" in student_mail.body
    html, mime = student_mail.alternatives[0]
    assert mime == "text/html" and mentor.user.full_name in html
    mentor_mail = next(m for m in mailoutbox if m.to == [a.mentor.user.email])
    assert students[0].student.user.full_name in mentor_mail.body
    assert "Statement 0" in mentor_mail.body and "/mentor/" in mentor_mail.body


def spy_languages(monkeypatch):
    """recipient e-mail -> the languages their mails were rendered in, filled as they are."""
    languages = {}
    real = emails.render_to_string

    def spy(name, context):
        languages.setdefault(context["user"].email, set()).add(translation.get_language())
        return real(name, context)

    monkeypatch.setattr(emails, "render_to_string", spy)
    return languages


def test_mail_is_in_each_recipients_language(
    world, selection, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    cycle, (a, _), students = selection
    user = students[0].student.user
    user.preferred_language = "zh-hans"
    user.save(update_fields=["preferred_language"])
    rank(students[0], a)
    rank(students[1], a)
    commit(cycle, world.coordinator)
    languages = spy_languages(monkeypatch)
    publish(cycle, world.coordinator, django_capture_on_commit_callbacks)
    assert languages[user.email] == {"zh-hans"}
    assert languages[students[1].student.user.email] == {"en"}
    assert translation.get_language() == "en"
    assert is_chinese(mail_to(mailoutbox, user.email).subject)
    assert not is_chinese(mail_to(mailoutbox, students[1].student.user.email).subject)


def is_chinese(text):
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def mail_to(mailoutbox, email):
    return next(mail for mail in mailoutbox if mail.to == [email])


def test_publishing_again_sends_nothing(
    world, selection, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, (a, _), students = selection
    rank(students[0], a)
    commit(cycle, world.coordinator)
    publish(cycle, world.coordinator, django_capture_on_commit_callbacks)
    first = Match.objects.get().published_at
    mailoutbox.clear()
    assert publish(cycle, world.coordinator, django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []
    assert Match.objects.get().published_at == first


def test_nothing_committed_is_refused(world, selection, mailoutbox):
    cycle, _, _ = selection
    with pytest.raises(PublishingError, match="no committed matches"):
        publish_matches(cycle=cycle, by=world.coordinator)
    assert mailoutbox == []


def test_no_mail_when_the_transaction_rolls_back(world, selection, mailoutbox):
    cycle, (a, _), students = selection
    rank(students[0], a)
    commit(cycle, world.coordinator)
    # Without the on-commit callbacks run (the test's transaction never commits), nobody is mailed.
    publish_matches(cycle=cycle, by=world.coordinator)
    assert mailoutbox == []


def test_second_round_keeps_earlier_matches_and_mails_only_the_new(
    world, selection, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, (a, b), students = selection
    for student in students[:2]:
        rank(student, a)
    commit(cycle, world.coordinator)
    publish(cycle, world.coordinator, django_capture_on_commit_callbacks)
    first_round = set(Match.objects.values_list("enrollment", "engagement"))
    mailoutbox.clear()

    # New students rank after the first commit; a is full, so they go to b.
    for student in students[2:4]:
        rank(student, a, b)
    second = commit(cycle, world.coordinator)
    assert first_round <= set(Match.objects.values_list("enrollment", "engagement"))
    assert set(second.matches.values_list("enrollment", flat=True)) == {
        students[2].pk,
        students[3].pk,
    }
    assert publish(cycle, world.coordinator, django_capture_on_commit_callbacks) == 2
    to = sorted(address for mail in mailoutbox for address in mail.to)
    assert to == sorted(
        [students[2].student.user.email, students[3].student.user.email, b.mentor.user.email]
    )


# The admin page -----------------------------------------------------------------


def publish_url(cycle):
    return reverse("admin:mentorship_matchingrun_publish", args=[cycle.pk])


def preview_url(cycle):
    return reverse("admin:mentorship_matchingrun_preview", args=[cycle.pk])


@pytest.fixture
def committed(world, selection):
    cycle, (a, b), students = selection
    for student in students[:4]:
        rank(student, a)
    commit(cycle, world.coordinator)
    return cycle


def test_page_shows_unpublished_count_and_button(client, world, committed):
    client.force_login(world.coordinator)
    page = client.get(preview_url(committed)).content.decode()
    assert "2 of 2 matches are not published yet" in page
    assert "Publish 2 matches" in page


def test_coordinator_publishes_from_the_page(
    client, world, committed, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish_url(committed), {"confirmed": "1"}, follow=True)
    page = response.content.decode()
    assert "2 matches are published" in page
    assert "Publish 2 matches" not in page
    assert len(mailoutbox) == 3
    assert not Match.objects.filter(published_at__isnull=True).exists()

    response = client.post(publish_url(committed), {"confirmed": "1"})
    assert response.status_code == 409
    assert "Everything committed is published already" in response.content.decode()


def test_publish_without_matches_shows_why(client, world, selection):
    cycle, _, _ = selection
    client.force_login(world.coordinator)
    response = client.post(publish_url(cycle), {"confirmed": "1"})
    assert "no committed matches to publish" in response.content.decode()


def test_publish_asks_first_and_says_who_is_told(client, world, committed):
    client.force_login(world.coordinator)
    page = client.get(publish_url(committed)).content.decode()
    assert "2 matches are published" in page
    assert "3 people are told by e-mail (students: 2, mentors: 1)." in page
    assert client.post(publish_url(committed)).status_code == 200  # not confirmed
    assert Match.objects.filter(published_at__isnull=True).count() == 2


def test_steering_may_not_publish(client, world, committed):
    client.force_login(world.steering)
    assert client.post(publish_url(committed), {"confirmed": "1"}).status_code == 403
    assert "Publish 2 matches" not in client.get(preview_url(committed)).content.decode()
    assert not Match.objects.filter(published_at__isnull=False).exists()


def test_other_programs_coordinator_gets_404(client, world, committed):
    client.force_login(world.other_coordinator)
    assert client.post(publish_url(committed), {"confirmed": "1"}).status_code == 404
    assert not Match.objects.filter(published_at__isnull=False).exists()


def test_anonymous_goes_to_login(client, committed):
    response = client.post(publish_url(committed), {"confirmed": "1"})
    assert response.status_code == 302 and "/login/" in response.url


def test_unmatched_students_are_listed_after_commit(client, world, committed):
    client.force_login(world.coordinator)
    page = client.get(preview_url(committed)).content.decode()
    assert "Students without a mentor (3)" in page


def test_enrollment_admin_filters_matched_and_unmatched(client, world, committed):
    client.force_login(world.coordinator)
    url = reverse("admin:mentorship_enrollment_changelist")
    matched = client.get(url, {"cycle": committed.pk, "matched": "yes"})
    unmatched = client.get(url, {"cycle": committed.pk, "matched": "no"})
    assert matched.context["cl"].result_count == 2
    assert unmatched.context["cl"].result_count == 3


def test_committed_page_query_count_does_not_grow(client, world, selection):
    """With the publication and unmatched sections shown, at two sizes."""
    cycle, _, _ = selection
    client.force_login(world.coordinator)

    def measure(students):
        mentors = [f.EngagementFactory(cycle=cycle, capacity=2) for _ in range(2)]
        for _ in range(students):
            rank(f.EnrollmentFactory(cycle=cycle, status="applied"), *mentors)
        commit(cycle, world.coordinator)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(preview_url(cycle))
        assert "Students without a mentor" in page.content.decode()
        return len(queries)

    assert measure(6) == measure(20)


def test_a_failing_mail_does_not_stop_the_others(
    world, selection, mailoutbox, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    cycle, (a, _), students = selection
    rank(students[0], a)
    rank(students[1], a)
    commit(cycle, world.coordinator)
    failing = students[0].student.user.email
    real = events.render_email

    def render(user, name, context):
        message = real(user, name, context)
        if user.email == failing:
            message.send = lambda: (_ for _ in ()).throw(ConnectionError("SMTP down"))
        return message

    monkeypatch.setattr(events, "render_email", render)
    assert publish(cycle, world.coordinator, django_capture_on_commit_callbacks) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [students[1].student.user.email, a.mentor.user.email]
    )
    assert "publication mail match_published_student" in caplog.text


@pytest.fixture
def broker():
    """A broker that takes tasks (in memory) and no worker: nothing runs in the request."""
    before = app.conf.broker_url
    app.conf.update(broker_url="memory://", task_always_eager=False)
    forget_broker_connections()
    yield
    app.conf.update(broker_url=before, task_always_eager=True)
    forget_broker_connections()


def test_with_a_broker_publishing_queues_the_mail_and_sends_none(
    client, world, committed, broker, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(publish_url(committed), {"confirmed": "1"}, follow=True)
    assert "2 matches are published" in response.content.decode()
    assert mailoutbox == []
    pending = PendingTask.objects.get(name=tasks.send_publication_emails_task.name)
    assert pending.queued_at is not None
    assert sorted(pending.arguments["match_ids"]) == sorted(
        Match.objects.filter(engagement__cycle=committed).values_list("pk", flat=True)
    )

    # A worker runs it, and runs it again (a retry, a requeue): each person is mailed once.
    for _ in range(2):
        tasks.send_publication_emails_task.apply(kwargs=pending.arguments)
    assert len(mailoutbox) == 3
