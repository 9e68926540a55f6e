"""Publishing a cycle's committed matches: students and mentors see each other.

Committing makes Matches; only publishing shows them on the home pages and
tells both sides by e-mail. Publishing marks matches in one transaction and
sends the mail after it commits, so a rolled-back publication mails nobody.
The reminders issue moves sending to Celery: a task then calls
:func:`send_publication_emails` with the same match ids.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs.models import Cycle, Stage

from .models import Enrollment, EnrollmentStatus, Match, MatchingLevel, MatchingRun, RunStatus

logger = logging.getLogger(__name__)


class PublishingError(Exception):
    """The matches cannot be published now; the message says why."""


def published_matches():
    """Matches their student and mentor may see."""
    return Match.objects.filter(published_at__isnull=False)


def publish_matches(*, cycle, by):
    """Publish the cycle's unpublished matches; returns how many.

    Must hold first: the cycle has committed Matches and is not closed, and
    ``by`` may publish them (checked by the caller). Matches published
    earlier are left alone and mailed no second time, so publishing after a
    second round tells only the newly matched students and their mentors.
    """
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.stage == Stage.CLOSED:
            raise PublishingError(_("The cycle is closed; its matches can no longer be published."))
        matches = Match.objects.filter(engagement__cycle=cycle)
        if not matches.exists():
            raise PublishingError(_("There are no committed matches to publish yet."))
        ids = list(
            matches.filter(published_at__isnull=True)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Match.objects.filter(pk__in=ids).update(published_at=timezone.now())
        if ids:
            transaction.on_commit(partial(send_publication_emails, match_ids=ids))
    return len(ids)


def send_publication_emails(*, match_ids):
    """Tell each student of ``match_ids`` their mentor, and each mentor their new students.

    Must hold first: the matches are published. Plain ids in, so a Celery
    task can call this later; each person gets one message in their language.
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
        _send(
            match.enrollment.student.user,
            "match_published_student",
            {
                "cycle": match.enrollment.cycle,
                "mentor": match.engagement.mentor,
                **links,
            },
        )
    for engagement, enrollments in by_mentor.items():
        _send(
            engagement.mentor.user,
            "match_published_mentor",
            {
                "cycle": enrollments[0].cycle,
                "enrollments": enrollments,
                **links,
            },
        )


def absolute_url(path):
    """``path`` on this site, for links in e-mails, which have no request."""
    protocol = "http" if settings.DEBUG else "https"
    return f"{protocol}://{Site.objects.get_current().domain}{path}"


def _send(user, name, context):
    """Send the subject/text/html triple ``mentorship/email/<name>_*`` to ``user``.

    A failing mail server must not cost the others their message, nor undo the
    publication (it is committed): the failure is logged for the office.
    """
    try:
        _render(user, name, context).send()
    except Exception:
        logger.exception("publication mail %s to user %s failed", name, user.pk)


def _render(user, name, context):
    context = {"user": user, **context}
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        prefix = f"mentorship/email/{name}"
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject,
            render_to_string(f"{prefix}.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string(f"{prefix}.html", context), "text/html")
    return message


def publication_context(cycle):
    """What the coordinator's matching page shows about publishing, in three queries.

    The unmatched are listed once a mentor-level run is committed: they wait
    for a second round or a placement by hand.
    """
    counts = Match.objects.filter(engagement__cycle=cycle).aggregate(
        total=Count("pk"), unpublished=Count("pk", filter=Q(published_at__isnull=True))
    )
    committed = MatchingRun.objects.filter(
        cycle=cycle, level=MatchingLevel.MENTOR, status=RunStatus.COMMITTED
    ).exists()
    unmatched = []
    if committed:
        unmatched = (
            Enrollment.objects.filter(cycle=cycle, match__isnull=True)
            .exclude(status=EnrollmentStatus.WITHDRAWN)
            .select_related("student__user")
            .annotate(ranked_count=Count("preferences"))
            .order_by("student__user__full_name", "pk")
        )
    return {
        "matches_count": counts["total"],
        "unpublished_count": counts["unpublished"],
        "has_committed_run": committed,
        "unmatched_enrollments": unmatched,
        "can_publish": counts["unpublished"] > 0 and cycle.stage != Stage.CLOSED,
    }


def publication_message(count):
    return ngettext(
        "%(count)s match is published; the student and the mentor were told by e-mail.",
        "%(count)s matches are published; their students and mentors were told by e-mail.",
        count,
    ) % {"count": count}
