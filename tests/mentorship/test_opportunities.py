"""Mentors recommend internships and jobs to chosen mentees or their group."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Opportunity, OpportunityRecipient
from programs.models import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "kind": "internship",
        "organisation": "Acme Capital",
        "role": "Summer analyst",
        "link": "https://acme.example.test/jobs/1",
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "note": "Mention my name.",
    }
    data.update(overrides)
    return data


def new_url():
    return reverse("opportunity_create")


def test_mentor_posts_to_a_mentee(client, world, mentee):
    client.force_login(world.mentor)
    assert client.get(new_url()).status_code == 200
    response = client.post(new_url(), form_data(mentees=[mentee.pk]))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunity_detail", args=[opportunity.pk])
    assert opportunity.author.user == world.mentor
    assert opportunity.cycle == world.cycle
    assert [r.enrollment for r in opportunity.recipients.all()] == [mentee]
    assert opportunity.recipients.get().status == "new"


def test_posting_to_a_group_fixes_recipients(client, world):
    # The mentor chairs the team; the student is a published member.
    newcomer = f.EnrollmentFactory(cycle=world.cycle)
    waiting = f.GroupPlacementFactory(group=world.team, student=newcomer.student)
    client.force_login(world.mentor)
    response = client.post(new_url(), form_data(group=world.team.pk))
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.group == world.team
    students = {r.enrollment.student.user for r in opportunity.recipients.all()}
    assert students == {world.student}
    # A student placed later is not added to what was already sent.
    waiting.published_at = timezone.now()
    waiting.save(update_fields=["published_at"])
    assert opportunity.recipients.count() == 1


def test_mentee_and_group_overlap_once(client, world, mentee):
    client.force_login(world.mentor)
    client.post(new_url(), form_data(mentees=[mentee.pk], group=world.team.pk))
    assert OpportunityRecipient.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"link": "not a url"}, "Enter a valid URL."),
        ({"organisation": ""}, "This field is required."),
        ({"deadline": "2000-01-01"}, "The deadline has already passed."),
        ({}, "Choose at least one mentee or a group."),
    ],
)
def test_bad_input_is_refused(client, world, mentee, overrides, message):
    client.force_login(world.mentor)
    data = form_data(**overrides)
    if overrides:
        data["mentees"] = [mentee.pk]
    response = client.post(new_url(), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Opportunity.objects.exists()


def test_recipient_not_my_mentee_is_refused(client, world, mentee):
    stranger = world.other_student.student_profile.enrollments.get()
    unpublished = f.MatchFactory(
        engagement=world.mentor.mentor_profile.engagements.get(cycle=world.cycle)
    ).enrollment
    client.force_login(world.mentor)
    for enrollment in (stranger, unpublished):
        response = client.post(new_url(), form_data(mentees=[mentee.pk, enrollment.pk]))
        assert response.status_code == 200
        assert "Choose only your own mentees." in response.content.decode()
    assert not Opportunity.objects.exists()


def test_group_i_do_not_coach_is_refused(client, world, mentee):
    other_group = f.GroupFactory(cycle=world.cycle)
    client.force_login(world.mentor)
    response = client.post(new_url(), form_data(group=other_group.pk))
    assert response.status_code == 200
    assert "Choose a group you coach." in response.content.decode()
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    "stage, allowed",
    [
        (Stage.SELECTION, False),
        (Stage.KICK_OFF, True),
        (Stage.TRACKING, True),
        (Stage.EVALUATION, False),
        (Stage.CLOSED, False),
    ],
)
def test_posting_window(client, world, mentee, stage, allowed):
    world.cycle.stage = stage
    world.cycle.save(update_fields=["stage"])
    client.force_login(world.mentor)
    response = client.post(new_url(), form_data(mentees=[mentee.pk]))
    assert response.status_code == (302 if allowed else 200)
    assert Opportunity.objects.exists() == allowed


def test_detail_shows_recipients_statuses(client, world, mentee):
    opportunity = f.OpportunityFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    f.OpportunityRecipientFactory(opportunity=opportunity, enrollment=mentee, status="applied")
    client.force_login(world.mentor)
    response = client.get(reverse("opportunity_detail", args=[opportunity.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Stu Student" in content
    assert "Applied" in content


def test_list_counts_per_status(client, world, mentee):
    opportunity = f.OpportunityFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    f.OpportunityRecipientFactory(opportunity=opportunity, enrollment=mentee, status="interview")
    f.OpportunityRecipientFactory(opportunity=opportunity, status="interview")
    f.OpportunityRecipientFactory(opportunity=opportunity, status="new")
    client.force_login(world.mentor)
    response = client.get(reverse("mentor_opportunities"))
    (listed,) = response.context["opportunities"]
    assert listed.recipient_count == 3
    assert dict(listed.counts)["Interview"] == 2
    assert dict(listed.counts)["New"] == 1


def test_other_mentor_gets_404(client, world, mentee):
    opportunity = f.OpportunityFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    client.force_login(world.other_mentor)
    assert client.get(reverse("opportunity_detail", args=[opportunity.pk])).status_code == 404
    assert list(client.get(reverse("mentor_opportunities")).context["opportunities"]) == []


def test_recipient_student_gets_403_on_mentor_pages(client, world, mentee):
    opportunity = f.OpportunityFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    f.OpportunityRecipientFactory(opportunity=opportunity, enrollment=mentee)
    client.force_login(world.student)
    for url in (
        reverse("mentor_opportunities"),
        new_url(),
        reverse("opportunity_detail", args=[opportunity.pk]),
    ):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["coordinator", "steering"])
def test_staff_get_403_on_mentor_pages(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("mentor_opportunities")).status_code == 403
    assert client.post(new_url(), form_data()).status_code == 403


def test_anonymous_goes_to_login(client, world):
    opportunity = f.OpportunityFactory(cycle=world.cycle, author=world.mentor.mentor_profile)
    for url in (
        reverse("mentor_opportunities"),
        new_url(),
        reverse("opportunity_detail", args=[opportunity.pk]),
        reverse("student_opportunities"),
    ):
        assert reverse("account_login") in client.get(url)["Location"]
    response = client.post(
        reverse("opportunity_status", args=[opportunity.pk]), {"status": "applied"}
    )
    assert reverse("account_login") in response["Location"]


def test_recipients_are_told_by_email_in_their_language(
    client, world, mentee, mailoutbox, django_capture_on_commit_callbacks
):
    world.student.preferred_language = "zh-hans"
    world.student.save(update_fields=["preferred_language"])
    client.force_login(world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(new_url(), form_data(mentees=[mentee.pk]))
    (message,) = mailoutbox
    assert message.to == [world.student.email]
    assert "Summer analyst" in message.subject
    # Rendered in the student's language (the greeting is already translated).
    assert "Stu Student，您好：" in message.body
    assert "https://acme.example.test/jobs/1" in message.body
    assert reverse("student_opportunities") in message.body


def test_refused_posting_sends_nothing(
    client, world, mentee, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(new_url(), form_data(mentees=[mentee.pk], link="nope"))
    assert mailoutbox == []
