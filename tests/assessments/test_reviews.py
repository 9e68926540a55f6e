"""The mentor's review: comment, return for revision, accept; the student's history."""

import pytest
from django.urls import reverse

from assessments.models import Review, Submission
from programs.models import Stage
from tests import factories as f

from .conftest import PLAN_ANSWERS

pytestmark = pytest.mark.django_db


def submit_plan(client, world, dl, **changes):
    client.force_login(world.student)
    url = reverse("deliverable_detail", args=[dl.plan.pk])
    client.post(url, {"action": "submit", **PLAN_ANSWERS, **changes})
    return Submission.objects.filter(enrollment=dl.enrollment).order_by("-number").first()


def review_as(client, user, version, **data):
    client.force_login(user)
    return client.post(reverse("review_detail", args=[version.pk]), data)


def test_return_resubmit_accept_keeps_both_versions(client, world, dl):
    first = submit_plan(client, world, dl)
    response = review_as(
        client, world.mentor, first, decision="returned", comment="Name real firms."
    )
    assert response.status_code == 302
    client.force_login(world.student)
    listing = client.get(reverse("deliverable_list")).content.decode()
    assert "Returned for revision" in listing
    assert "Name real firms." in listing
    # The form starts from the returned version; the student revises and submits again.
    page = client.get(reverse("deliverable_detail", args=[dl.plan.pk])).content.decode()
    assert "Big four audit firms" in page
    second = submit_plan(client, world, dl, career_exploration__targets="Deloitte, KPMG")
    assert second.number == 2
    first.refresh_from_db()
    assert first.content["career_exploration__targets"] == "Big four audit firms"

    response = review_as(client, world.mentor, second, decision="accepted", comment="", grade=92)
    assert response.status_code == 302
    review = Review.objects.get(submission=second)
    assert (review.decision, review.grade, review.reviewer.user) == ("accepted", 92, world.mentor)

    mentor_page = client.get(reverse("review_detail", args=[second.pk])).content.decode()
    assert "Version 1" in mentor_page and "Version 2" in mentor_page
    assert "Big four audit firms" in mentor_page and "Deloitte, KPMG" in mentor_page

    client.force_login(world.student)
    page = client.get(reverse("deliverable_detail", args=[dl.plan.pk])).content.decode()
    assert "Version 1" in page and "Version 2" in page
    assert "Name real firms." in page
    assert "Grade 92/100" in page
    assert "it is complete" in page
    assert 'value="submit"' not in page
    # Accepted is final: a forged submit changes nothing.
    submit_plan(client, world, dl)
    assert Submission.objects.filter(enrollment=dl.enrollment).count() == 2


def test_matched_mentor_reviews_too(client, world, dl):
    version = submit_plan(client, world, dl)
    review_as(client, dl.matched, version, decision="comment", comment="Looks fine so far.")
    assert Review.objects.get().reviewer.user == dl.matched


def test_comment_is_required_unless_accepting(client, world, dl):
    version = submit_plan(client, world, dl)
    response = review_as(client, world.mentor, version, decision="returned", comment="")
    assert response.status_code == 200
    assert "Say what to revise" in response.content.decode()
    response = review_as(client, world.mentor, version, decision="accepted", grade=101)
    assert "less than or equal to 100" in response.content.decode()
    assert not Review.objects.exists()


def test_a_version_is_decided_once_but_may_get_more_comments(client, world, dl):
    version = submit_plan(client, world, dl)
    review_as(client, world.mentor, version, decision="returned", comment="Redo it.")
    page = client.get(reverse("review_detail", args=[version.pk])).content.decode()
    assert "you may still add a comment" in page
    assert 'value="accepted"' not in page
    review_as(client, dl.matched, version, decision="comment", comment="Agree with Max.")
    assert list(Review.objects.values_list("decision", flat=True).order_by("pk")) == [
        "returned",
        "comment",
    ]


def test_a_decision_taken_meanwhile_is_named_and_nothing_changes(client, world, dl):
    version = submit_plan(client, world, dl)
    # Both mentors opened the form while the version was undecided.
    client.force_login(dl.matched)
    assert 'value="accepted"' in client.get(reverse("review_detail", args=[version.pk])).text
    review_as(client, world.mentor, version, decision="accepted")
    response = review_as(client, dl.matched, version, decision="returned", comment="Redo it.")
    text = response.content.decode()
    assert "Select a valid choice" not in text
    assert "This version was reviewed meanwhile: Max Mentor accepted it" in text
    assert "Your review was not saved; you may still add it as a comment." in text
    # What the second mentor wrote stays, now as a comment only.
    assert "Redo it." in text and 'value="returned"' not in text
    assert list(Review.objects.values_list("decision", "reviewer__user")) == [
        ("accepted", world.mentor.pk)
    ]


def test_only_the_latest_version_is_reviewed(client, world, dl):
    first = submit_plan(client, world, dl)
    review_as(client, world.mentor, first, decision="returned", comment="Redo it.")
    submit_plan(client, world, dl)
    client.force_login(world.mentor)
    page = client.get(reverse("review_detail", args=[first.pk])).content.decode()
    assert "Open the latest version" in page
    response = review_as(client, dl.matched, first, decision="comment", comment="Late note")
    assert "newer version" in response.content.decode()
    assert Review.objects.count() == 1


def test_no_reviews_once_the_cycle_is_closed(client, world, dl):
    version = submit_plan(client, world, dl)
    world.cycle.stage = Stage.CLOSED
    world.cycle.save(update_fields=["stage"])
    response = review_as(client, world.mentor, version, decision="accepted")
    assert "The cycle is closed" in response.content.decode()
    assert not Review.objects.exists()


def test_queue_lists_latest_unreviewed_versions_of_my_students_only(client, world, dl):
    first = submit_plan(client, world, dl)
    rival = f.SubmissionFactory(requirement=dl.plan, enrollment=dl.rival_enrollment)
    client.force_login(world.mentor)
    queue = client.get(reverse("review_list")).content.decode()
    assert reverse("review_detail", args=[first.pk]) in queue
    assert reverse("review_detail", args=[rival.pk]) not in queue
    home = client.get(reverse("mentor_home")).content.decode()
    assert reverse("review_detail", args=[first.pk]) in home

    review_as(client, world.mentor, first, decision="returned", comment="Redo it.")
    queue = client.get(reverse("review_list")).content.decode()
    assert "Nothing is waiting for your review." in queue
    second = submit_plan(client, world, dl)
    client.force_login(world.mentor)
    queue = client.get(reverse("review_list")).content.decode()
    assert reverse("review_detail", args=[second.pk]) in queue
    assert reverse("review_detail", args=[first.pk]) not in queue


def test_student_home_shows_status_due_date_and_latest_comment(client, world, dl):
    version = submit_plan(client, world, dl)
    review_as(client, world.mentor, version, decision="comment", comment="Add a timeline.")
    client.force_login(world.student)
    home = client.get(reverse("student_home")).content.decode()
    assert "Deliverables" in home
    assert "Personal career plan" in home
    assert "Add a timeline." in home
    assert "Not started" in home  # the internship report
    assert "Submitted" in home


def test_service_refuses_a_second_decision(world, dl):
    from assessments.services import DeliverableError, review

    version = f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment)
    mentor = world.mentor.mentor_profile
    review(submission=version, reviewer=mentor, decision="returned", comment="Redo it.")
    with pytest.raises(DeliverableError, match="reviewed meanwhile: Max"):
        review(submission=version, reviewer=mentor, decision="accepted")
    assert Review.objects.count() == 1


def test_student_home_leaves_closed_cycles_to_the_full_list(client, world, dl):
    old = f.CycleFactory(program=world.program, name="2025-2026", stage="closed")
    f.EnrollmentFactory(student=world.student.student_profile, cycle=old)
    past = f.RequirementFactory(cycle=old, kind_code="internship_report")
    client.force_login(world.student)
    link = reverse("deliverable_detail", args=[past.pk])
    assert link not in client.get(reverse("student_home")).content.decode()
    assert link in client.get(reverse("deliverable_list")).content.decode()


def test_mentor_home_shows_each_mentees_deliverables(client, world, dl):
    accepted = f.SubmissionFactory(requirement=dl.report, enrollment=dl.enrollment)
    Review.objects.create(
        submission=accepted, reviewer=dl.matched.mentor_profile, decision="accepted"
    )
    f.SubmissionFactory(requirement=dl.plan, enrollment=dl.enrollment)
    f.SubmissionFactory(requirement=dl.plan, enrollment=dl.rival_enrollment)
    client.force_login(dl.matched)
    response = client.get(reverse("mentor_home"))
    (mentee,) = response.context["mentee_deliverables"]
    assert mentee.enrollment == dl.enrollment
    statuses = {row.requirement: row.status for row in mentee.rows}
    assert statuses == {dl.plan: "submitted", dl.report: "accepted", dl.record: "not_started"}
    assert "deliverables" in response.text and dl.report.kind.label in response.text
    # The persona mentor coaches the team but has no published match: no list.
    client.force_login(world.mentor)
    assert client.get(reverse("mentor_home")).context["mentee_deliverables"] == []
