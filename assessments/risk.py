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

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sessions_app.overview import mentee_overview

from .models import Requirement, Submission

# Paths from the outer query to the enrollment's id and cycle.
FROM_ENROLLMENT = ("pk", "cycle")
FROM_MATCH = ("enrollment", "enrollment__cycle")


def overdue_requirements(now, paths=FROM_ENROLLMENT):
    """Required deliverables past due at ``now`` of the enrollment of an
    enclosing query (an enrollment, or a match with FROM_MATCH) that it has
    handed in no version of."""
    enrollment, cycle = paths
    handed_in = Submission.objects.filter(
        requirement=OuterRef("pk"), enrollment=OuterRef(OuterRef(enrollment))
    )
    return Requirement.objects.filter(
        cycle=OuterRef(cycle), kind__required=True, due_at__lt=now
    ).exclude(Exists(handed_in))


def overdue_exists(now, paths=FROM_ENROLLMENT):
    """Exists on an enrollment (or a match): the overdue half of the rule."""
    return Exists(overdue_requirements(now, paths))


def overdue_among(past_due, enrollment="pk"):
    """The overdue half on an enrollment query of one cycle whose past-due
    required deliverables are known (``past_due``; an empty Q when there are
    none): one NOT EXISTS per deliverable, each reading only that
    deliverable's submissions. ``overdue_exists`` leaves the deliverables to
    the database, which then hashes the submissions of every cycle."""
    found = Q()
    for requirement in past_due:
        handed_in = Submission.objects.filter(
            requirement=requirement, enrollment=OuterRef(enrollment)
        )
        found |= ~Exists(handed_in)
    return found


def mentee_overview_at_risk(user):
    """sessions_app.overview.mentee_overview with the whole rule: each
    mentee's ``at_risk`` also holds when a required deliverable is overdue
    (``overdue`` says so, ``quiet`` keeps the meetings half). No query more:
    the overdue test rides on the mentees' query."""
    engagements = mentee_overview(
        user, annotations={"overdue": overdue_exists(timezone.now(), FROM_MATCH)}
    )
    for engagement in engagements:
        for match in engagement.mentees:
            match.quiet = match.at_risk
            match.at_risk = match.quiet or match.overdue
    return engagements
