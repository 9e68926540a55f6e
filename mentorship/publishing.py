"""Publishing a cycle's committed placements: students and mentors see each other.

Committing makes Matches (mentor level) or student GroupMemberships (group
level); only publishing shows them on the home and group pages and tells
everyone concerned by e-mail. Publishing marks the placements in one
transaction and sends the mail after it commits, so a rolled-back
publication mails nobody. Once it commits, a Celery task (mentorship.tasks)
calls :func:`send_publication_emails` with the match ids, or
:func:`send_group_publication_emails` with the membership ids; both mail each
person once however often they run (mentorship/events.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from programs.models import Cycle, Stage
from programs.tasks_util import enqueue

from . import tasks
from .emails import absolute_url
from .events import EventMail
from .group_page import sees_contacts
from .matching_levels import leaders_prefetch
from .models import (
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupMembership,
    GroupPreference,
    Match,
    MatchingLevel,
    MatchingRun,
    RunStatus,
    StudentPreference,
)


class PublishingError(Exception):
    """The placements cannot be published now; the message says why."""


def published_matches():
    """Matches their student and mentor may see."""
    return Match.objects.filter(published_at__isnull=False)


def _committed_matches(cycle):
    return Match.objects.filter(engagement__cycle=cycle)


def _committed_group_placements(cycle):
    # Memberships added by hand are published on creation; only a run's wait.
    return GroupMembership.objects.filter(group__cycle=cycle, run__isnull=False)


def _ranked_count(preferences):
    """How many sides an enrollment ranked, as a subquery: counted for the
    page of rows shown, where a join and GROUP BY counted all of thousands."""
    ranked = (
        preferences.objects.filter(enrollment=OuterRef("pk"))
        .order_by()
        .values("enrollment")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(ranked), 0)


def _without_match(cycle):
    return Enrollment.objects.filter(cycle=cycle, match__isnull=True).annotate(
        ranked_count=_ranked_count(StudentPreference)
    )


def _without_group(cycle):
    placed = GroupMembership.objects.filter(student=OuterRef("student"), group__cycle=cycle)
    return (
        Enrollment.objects.filter(cycle=cycle)
        .exclude(Exists(placed))
        .annotate(ranked_count=_ranked_count(GroupPreference))
    )


@dataclass(frozen=True)
class Publication:
    """What publishing is at one matching level."""

    placements: Callable  # cycle -> its committed placements (with ``published_at``)
    unplaced: Callable  # cycle -> its enrollments without a placement, with ``ranked_count``
    notify: Callable  # ids -> None: queues the e-mails for once the publication commits
    closed: str
    nothing: str


def publish_matches(*, cycle, by):
    """Publish the cycle's unpublished matches; returns how many.

    Must hold first: the cycle has committed Matches and is not closed, and
    ``by`` may publish them (checked by the caller). Matches published
    earlier are left alone and mailed no second time, so publishing after a
    second round tells only the newly matched students and their mentors.
    """
    return publish_placements(cycle=cycle, by=by, level=MatchingLevel.MENTOR)


def publish_group_placements(*, cycle, by):
    """Publish the cycle's unpublished group placements; returns how many.

    Must hold first: a group-level run of the cycle was committed, the cycle
    is not closed, and ``by`` may publish (checked by the caller). As with
    matches, placements published earlier are neither changed nor mailed again.
    """
    return publish_placements(cycle=cycle, by=by, level=MatchingLevel.GROUP)


def publish_placements(*, cycle, by, level):
    """Publish the cycle's unpublished placements of ``level``; returns how many.

    Must hold first: see :func:`publish_matches` and
    :func:`publish_group_placements`.
    """
    publication = PUBLICATIONS[level]
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.stage == Stage.CLOSED:
            raise PublishingError(str(publication.closed))
        placements = publication.placements(cycle)
        if not placements.exists():
            raise PublishingError(str(publication.nothing))
        # Set-based: one UPDATE, then the rows it stamped read back by their
        # stamp (unique under the cycle's lock), not thousands of ids sent twice.
        now = timezone.now()
        if not placements.filter(published_at__isnull=True).update(published_at=now):
            return 0
        ids = list(placements.filter(published_at=now).order_by("pk").values_list("pk", flat=True))
        publication.notify(ids)
    return len(ids)


def send_publication_emails(*, match_ids, last_try=True):
    """Tell each student of ``match_ids`` their mentor, and each mentor their new students.

    Must hold first: the matches are published. Plain ids in, for a Celery
    task; each person gets one message in their language, once however often
    this runs, and the publication in their notification centre. After
    trying everyone, a mail error is raised for the task to retry, or on the
    ``last_try`` left to the digest (EventMail.finish).
    """
    matches = list(
        Match.objects.filter(pk__in=match_ids)
        .select_related(
            "enrollment__student__user",
            "enrollment__cycle__program",
            "engagement__mentor__user",
        )
        .order_by("engagement", "enrollment__student__user__full_name", "pk")
    )
    links = {
        "student_home": absolute_url(reverse("student_home")),
        "mentor_home": absolute_url(reverse("mentor_home")),
    }
    by_mentor = {}
    for match in matches:
        by_mentor.setdefault(match.engagement, []).append(match.enrollment)
    mentor_keys = {
        engagement: f"mentorship.engagement:{engagement.pk}/enrollment:{enrollments[0].pk}"
        for engagement, enrollments in by_mentor.items()
    }
    mail = EventMail(
        kind="match_published",
        subject_keys=[f"mentorship.match:{m.pk}" for m in matches] + list(mentor_keys.values()),
        log_name="publication",
    )
    for match in matches:
        cycle = match.enrollment.cycle
        mail.send(
            match.enrollment.student.user,
            "match_published_student",
            {"cycle": cycle, "mentor": match.engagement.mentor, **links},
            subject_key=f"mentorship.match:{match.pk}",
            payload=_payload(MATCH_TITLE, cycle, reverse("student_home")),
        )
    for engagement, enrollments in by_mentor.items():
        cycle = enrollments[0].cycle
        mail.send(
            engagement.mentor.user,
            "match_published_mentor",
            {"cycle": cycle, "enrollments": enrollments, **links},
            subject_key=mentor_keys[engagement],
            payload=_payload(MATCH_TITLE, cycle, reverse("mentor_home")),
        )
    mail.finish(last_try=last_try)


MATCH_TITLE = gettext_noop("Your mentoring match is published")
GROUP_TITLE = gettext_noop("Your mentoring group is published")
GROUP_LEADER_TITLE = gettext_noop("New students are placed in your group")


def _payload(title, cycle, url):
    return {"title": title, "context": str(cycle), "url": url}


def send_group_publication_emails(*, membership_ids, last_try=True):
    """Tell each student of ``membership_ids`` their group, and each group's
    chief and leading coaches their new students.

    Must hold first: the memberships are published. Plain ids in, for a
    Celery task; contact details show as the program's group pages show them.
    Each person is mailed once, and errors go, as in :func:`send_publication_emails`.
    """
    memberships = list(
        GroupMembership.objects.filter(pk__in=membership_ids)
        .select_related("student__user")
        .order_by("group", "student__user__full_name", "pk")
    )
    groups = Group.objects.filter(pk__in={m.group_id for m in memberships})
    groups = {
        group.pk: group
        for group in groups.select_related("cycle__program").prefetch_related(leaders_prefetch())
    }
    by_group = {}
    for membership in memberships:
        by_group.setdefault(groups[membership.group_id], []).append(membership)
    leader_keys = {
        group: f"mentorship.group:{group.pk}/membership:{placed[0].pk}"
        for group, placed in by_group.items()
    }
    mail = EventMail(
        kind="group_published",
        subject_keys=[f"mentorship.groupmembership:{m.pk}" for m in memberships]
        + list(leader_keys.values()),
        log_name="publication",
    )
    for group, placed in by_group.items():
        policy = group.cycle.program.group_contacts
        url = reverse("group_detail", args=[group.pk])
        context = {
            "cycle": group.cycle,
            "group": group,
            "leaders": group.leaders,
            "group_url": absolute_url(url),
        }
        for membership in placed:
            mail.send(
                membership.student.user,
                "group_published_student",
                {
                    **context,
                    "show_contacts": sees_contacts(
                        policy, viewer_is_coach=False, member_is_coach=True
                    ),
                },
                subject_key=f"mentorship.groupmembership:{membership.pk}",
                payload=_payload(GROUP_TITLE, group.cycle, url),
            )
        for leader in group.leaders:
            mail.send(
                leader.mentor.user,
                "group_published_leader",
                {
                    **context,
                    "students": [membership.student for membership in placed],
                    "show_contacts": sees_contacts(
                        policy, viewer_is_coach=True, member_is_coach=False
                    ),
                },
                subject_key=leader_keys[group],
                payload=_payload(GROUP_LEADER_TITLE, group.cycle, url),
            )
    mail.finish(last_try=last_try)


def publication_context(cycle, level=MatchingLevel.MENTOR):
    """What the coordinator's matching page of ``level`` shows about
    publishing, in three queries.

    The students without a placement are listed once a run of the level is
    committed: they wait for a second round or a placement by hand.
    """
    publication = PUBLICATIONS[level]
    counts = publication.placements(cycle).aggregate(
        total=Count("pk"), unpublished=Count("pk", filter=Q(published_at__isnull=True))
    )
    committed = MatchingRun.objects.filter(
        cycle=cycle, level=level, status=RunStatus.COMMITTED
    ).exists()
    unmatched = []
    if committed:
        unmatched = (
            publication.unplaced(cycle)
            .exclude(status=EnrollmentStatus.WITHDRAWN)
            .select_related("student__user")
            .order_by("student__user__full_name", "pk")
        )
    return {
        "matches_count": counts["total"],
        "unpublished_count": counts["unpublished"],
        "has_committed_run": committed,
        "unmatched_enrollments": unmatched,
        "can_publish": counts["unpublished"] > 0 and cycle.stage != Stage.CLOSED,
    }


def publication_message(count, level=MatchingLevel.MENTOR):
    """What the coordinator is told after publishing ``count`` placements."""
    if level == MatchingLevel.GROUP:
        if not count:
            return _("Every group placement was published already; nobody was mailed.")
        return ngettext(
            "%(count)s group placement is published; the student and the group's leaders "
            "were told by e-mail.",
            "%(count)s group placements are published; the students and their groups' "
            "leaders were told by e-mail.",
            count,
        ) % {"count": count}
    if not count:
        return _("Every match was published already; nobody was mailed.")
    return ngettext(
        "%(count)s match is published; the student and the mentor were told by e-mail.",
        "%(count)s matches are published; their students and mentors were told by e-mail.",
        count,
    ) % {"count": count}


PUBLICATIONS = {
    MatchingLevel.MENTOR: Publication(
        placements=_committed_matches,
        unplaced=_without_match,
        notify=lambda ids: enqueue(tasks.send_publication_emails_task, match_ids=ids),
        closed=gettext_lazy("The cycle is closed; its matches can no longer be published."),
        nothing=gettext_lazy("There are no committed matches to publish yet."),
    ),
    MatchingLevel.GROUP: Publication(
        placements=_committed_group_placements,
        unplaced=_without_group,
        notify=lambda ids: enqueue(tasks.send_group_publication_emails_task, membership_ids=ids),
        closed=gettext_lazy(
            "The cycle is closed; its group placements can no longer be published."
        ),
        nothing=gettext_lazy("There are no committed group placements to publish yet."),
    ),
}
