"""Internship and job recommendations from mentors to their students.

Audience. A mentor sends an opportunity to chosen mentees (their published
matches) and/or to a group they coach (its published student members). The
audience is expanded into one OpportunityRecipient per student when posting,
so a later change of the group does not rewrite who got what, and each
student's status (which the evaluation reads later) has its own row.

Windows. Mentors post during kick-off and process tracking; students update
their status until the final evaluation ends (an offer may come late), after
which the record is frozen.
"""

from types import SimpleNamespace

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from programs.models import Stage
from programs.tasks_util import enqueue

from . import tasks
from .emails import absolute_url
from .events import EventMail
from .models import (
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupMembership,
    Opportunity,
    OpportunityRecipient,
    RecipientStatus,
)
from .publishing import published_matches

POSTING_STAGES = (Stage.KICK_OFF, Stage.TRACKING)
STATUS_STAGES = (Stage.KICK_OFF, Stage.TRACKING, Stage.EVALUATION)
HOME_LIMIT = 5


class OpportunityError(Exception):
    """The change cannot be made now; the message says why."""


def postable_mentees(*, user):
    """Enrollments ``user`` may send opportunities to: their published mentees
    in cycles open for posting, not withdrawn."""
    return (
        Enrollment.objects.active()
        .filter(
            match__in=published_matches().filter(
                engagement__mentor__user=user, engagement__status=EngagementStatus.ACCEPTED
            ),
            cycle__stage__in=POSTING_STAGES,
        )
        .select_related("student__user", "cycle__program")
        .order_by("cycle__starts_on", "student__user__full_name", "pk")
    )


def postable_groups(*, user):
    """Groups ``user`` coaches (in any coaching role) in cycles open for posting."""
    return (
        Group.objects.filter(
            memberships__mentor__user=user,
            memberships__published_at__isnull=False,
            cycle__stage__in=POSTING_STAGES,
        )
        .select_related("cycle__program")
        .distinct()
        .order_by("cycle__starts_on", "name")
    )


def _group_enrollments(group):
    students = GroupMembership.objects.filter(
        group=group, student__isnull=False, published_at__isnull=False
    ).values("student")
    return Enrollment.objects.active().filter(cycle_id=group.cycle_id, student__in=students)


@transaction.atomic
def post_opportunity(*, author, enrollments, group=None, **fields):
    """Post an opportunity by ``author`` (a MentorProfile) and send it.

    First every enrollment must be in :func:`postable_mentees` and ``group``
    in :func:`postable_groups` for the author, with at least one of them, all
    in one cycle (the form checks). ``fields`` are the Opportunity's own.
    Raises OpportunityError when that cycle is not open for posting. Each
    recipient is told by e-mail once the posting is committed.
    """
    cycles = {e.cycle for e in enrollments} | ({group.cycle} if group else set())
    if len(cycles) != 1:
        raise OpportunityError(_("Send an opportunity to students of one cycle at a time."))
    (cycle,) = cycles
    if cycle.stage not in POSTING_STAGES:
        raise OpportunityError(
            _("Opportunities can be posted during kick-off and process tracking.")
        )
    opportunity = Opportunity.objects.create(cycle=cycle, author=author, group=group, **fields)
    targets = {e.pk for e in enrollments}
    if group:
        targets |= set(_group_enrollments(group).values_list("pk", flat=True))
    OpportunityRecipient.objects.bulk_create(
        OpportunityRecipient(opportunity=opportunity, enrollment_id=pk) for pk in sorted(targets)
    )
    enqueue(tasks.send_opportunity_emails_task, opportunity_id=opportunity.pk)
    return opportunity


def send_opportunity_emails(*, opportunity_id, last_try=True):
    """Tell every recipient of a committed opportunity about it, each in their
    language, once however often this runs (mentorship/events.py), and list
    it in their notification centre. Plain ids in, for a Celery task; mail
    errors and ``last_try`` as in EventMail.finish."""
    opportunity = Opportunity.objects.select_related("author__user").get(pk=opportunity_id)
    path = reverse("student_opportunities")
    link = absolute_url(path)
    subject_key = f"mentorship.opportunity:{opportunity.pk}"
    mail = EventMail(kind="opportunity_posted", subject_keys=[subject_key], log_name="opportunity")
    payload = {
        "title": gettext_noop("Your mentor recommended an opportunity"),
        "context": str(opportunity),
        "url": path,
    }
    for recipient in opportunity.recipients.select_related("enrollment__student__user"):
        mail.send(
            recipient.enrollment.student.user,
            "opportunity_posted",
            {"opportunity": opportunity, "link": link},
            subject_key=subject_key,
            payload=payload,
        )
    mail.finish(last_try=last_try)


def set_recipient_status(*, opportunity, user, status):
    """Set the signed-in student's status on ``opportunity``.

    First the opportunity must have been sent to ``user`` (the permission
    helper checks: otherwise OpportunityRecipient.DoesNotExist) and ``status``
    be a RecipientStatus. Raises OpportunityError outside the window or for a
    withdrawn enrollment.
    """
    recipient = OpportunityRecipient.objects.select_related("enrollment").get(
        opportunity=opportunity, enrollment__student__user=user
    )
    if reason := status_refusal(opportunity=opportunity, enrollment=recipient.enrollment):
        raise OpportunityError(reason)
    recipient.status = RecipientStatus(status)
    recipient.save(update_fields=["status", "updated_at"])
    return recipient


def status_refusal(*, opportunity, enrollment):
    """Why the student of ``enrollment`` may not change their status on
    ``opportunity`` now, or None."""
    if opportunity.cycle.stage not in STATUS_STAGES:
        return _("The cycle is over: statuses can no longer be changed.")
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        return _("You have withdrawn from this cycle.")
    return None


def _with_status_counts(opportunities):
    counts = {
        f"{status}_count": Count("recipients", filter=Q(recipients__status=status))
        for status in RecipientStatus.values
    }
    return opportunities.annotate(recipient_count=Count("recipients"), **counts)


def status_counts(opportunity):
    """[(label, count)] of an annotated opportunity, in status order."""
    return [
        (label, getattr(opportunity, f"{value}_count")) for value, label in RecipientStatus.choices
    ]


def mentor_opportunities(*, user):
    """What ``user`` posted, newest first, annotated with counts per status."""
    return _with_status_counts(
        Opportunity.objects.filter(author__user=user).select_related("cycle__program", "group")
    ).order_by("-created_at", "-pk")


def opportunity_recipients(opportunity):
    return opportunity.recipients.select_related("enrollment__student__user").order_by(
        "enrollment__student__user__full_name", "pk"
    )


def student_opportunities(*, user):
    """What was sent to ``user``, newest first, with the sender and cycle."""
    return (
        OpportunityRecipient.objects.filter(enrollment__student__user=user)
        .select_related("opportunity__author__user", "opportunity__cycle__program", "enrollment")
        .order_by("-opportunity__created_at", "-pk")
    )


def home_opportunities(*, user, as_mentor):
    """The home section: a mentor's recent posts with counts per status, or a
    student's recent recommendations with their status. One query."""
    if as_mentor:
        items = list(mentor_opportunities(user=user)[:HOME_LIMIT])
        for item in items:
            item.counts = [(label, n) for label, n in status_counts(item) if n]
    else:
        items = list(student_opportunities(user=user)[:HOME_LIMIT])
    return SimpleNamespace(as_mentor=as_mentor, items=items)
