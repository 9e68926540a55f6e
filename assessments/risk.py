"""Who is at risk: the one rule the mentor home, the progress dashboard and
the reminders share.

A student is at risk when either holds:

- **quiet**: a published mentee (mentor programs) with no confirmed meeting
  for the program's ``at_risk_after_days``, while meetings are logged
  (sessions_app.overview.is_at_risk, counted from quiet_since);
- **overdue**: a required deliverable of their cycle is past due and they have
  handed in no version of it (``overdue_exists``).

The reminders nudge on the same conditions: the communication-gap reminder
counts the silence from the same quiet_since with the reminder policy's
``meeting_gap_days``, and deliverable reminders go to whoever has handed in no
version. "Last confirmed meeting" is sessions_app.overview.last_confirmed_meeting
everywhere, and the evaluation counts the same confirmed participations
(sessions_app.overview.confirmed_participations).

The rule needs deliverables, so it lives here, the app that has both; the
mentor home gets it by this app replacing the meetings app's mentee section
with one that adds the overdue half (mentorship.home_sections).
"""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from mentorship.models import Enrollment
from sessions_app.overview import mentee_overview

from .models import Requirement, Submission


def overdue_requirements(now):
    """Required deliverables past due at ``now`` of the enrollment of an
    enclosing query that it has handed in no version of."""
    handed_in = Submission.objects.filter(
        requirement=OuterRef("pk"), enrollment=OuterRef(OuterRef("pk"))
    )
    return Requirement.objects.filter(
        cycle=OuterRef("cycle"), kind__required=True, due_at__lt=now
    ).exclude(Exists(handed_in))


def overdue_exists(now):
    """Exists on an enrollment: the overdue half of the rule."""
    return Exists(overdue_requirements(now))


def mentee_overview_at_risk(user):
    """sessions_app.overview.mentee_overview with the whole rule: each
    mentee's ``at_risk`` also holds when a required deliverable is overdue
    (``overdue`` says so). One query more, none without mentees."""
    engagements = mentee_overview(user)
    ids = [match.enrollment_id for engagement in engagements for match in engagement.mentees]
    overdue = set()
    if ids:
        overdue = set(
            Enrollment.objects.filter(pk__in=ids)
            .filter(overdue_exists(timezone.now()))
            .values_list("pk", flat=True)
        )
    for engagement in engagements:
        for match in engagement.mentees:
            match.overdue = match.enrollment_id in overdue
            match.quiet = match.at_risk
            match.at_risk = match.quiet or match.overdue
    return engagements
