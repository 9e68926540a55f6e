"""Demo recommendations: the demo mentor's internships and jobs for his mentees and team.

Written directly (no e-mails while seeding) with the service's rules:
recipients are published mentees, or the published students of the group
it was sent to. Each is known by its author, organisation and role, so a
second run creates nothing.
"""

import datetime
from collections import Counter

from django.utils import timezone

from ..models import (
    GroupMembership,
    GroupRole,
    Opportunity,
    OpportunityRecipient,
    RecipientStatus,
    User,
)
from .catalogue import ALUMNI
from .extensions import clock, current_cycle, mentee_enrollments
from .plan import MENTOR

NEW, INTERESTED, APPLIED = RecipientStatus.NEW, RecipientStatus.INTERESTED, RecipientStatus.APPLIED
INTERVIEW, OFFER, DECLINED = (
    RecipientStatus.INTERVIEW,
    RecipientStatus.OFFER,
    RecipientStatus.DECLINED,
)

# (days ago posted, deadline in days, kind, organisation, role, link, note, to the team,
#  statuses of the mentees in order; the demo student first). Team posts cycle
#  through TEAM_STATUSES for the other students.
OPPORTUNITIES = [
    (
        18, 25, "internship", "Three Gorges Securities", "Summer analyst, investment banking",
        "https://careers.example.com/three-gorges/summer-analyst",
        "Ten-week program; I can tell you what the interviews are like.",
        False, [INTERESTED, APPLIED, NEW, INTERVIEW],
    ),
    (
        9, 40, "job", "Shancheng Audit & Advisory", "Graduate trainee, audit",
        "https://careers.example.com/shancheng/graduate-audit",
        "For final-year students of the team: a good first job if you like detail.",
        True, [NEW],
    ),
    (
        4, 55, "internship", "Qianbao Fintech", "Risk analytics intern",
        "https://careers.example.com/qianbao/risk-intern",
        "Python and statistics help; ask me for an introduction.",
        False, [None, None, NEW, OFFER, NEW],
    ),
]  # fmt: skip
TEAM_STATUSES = [INTERESTED, APPLIED, NEW, DECLINED, INTERVIEW, NEW]


def seed_opportunities(*, plan, now):
    created = Counter()
    cycle = current_cycle(ALUMNI)
    mentor = User.objects.filter(email=MENTOR).select_related("mentor_profile").first()
    if cycle is None or mentor is None:
        return created
    author = mentor.mentor_profile
    mentees = mentee_enrollments(cycle, MENTOR)
    team = cycle.groups.filter(memberships__mentor=author, memberships__role="chief").first()
    ago = clock(cycle, now)
    for days, due, kind, organisation, role, link, note, to_team, statuses in OPPORTUNITIES:
        if Opportunity.objects.filter(
            cycle=cycle, author=author, organisation=organisation, role=role
        ).exists():
            continue
        if to_team and team is not None:
            enrollments = _team_enrollments(team, first=mentees[0])
            statuses = statuses + TEAM_STATUSES * len(enrollments)
        else:
            enrollments = mentees
        opportunity = Opportunity.objects.create(
            cycle=cycle,
            author=author,
            kind=kind,
            organisation=organisation,
            role=role,
            link=link,
            note=note,
            deadline=timezone.localdate(now) + datetime.timedelta(days=due),
            group=team if to_team else None,
        )
        Opportunity.objects.filter(pk=opportunity.pk).update(created_at=ago(days, 10))
        recipients = [
            OpportunityRecipient(opportunity=opportunity, enrollment=enrollment, status=status)
            for enrollment, status in zip(enrollments, statuses, strict=False)
            if status is not None
        ]
        OpportunityRecipient.objects.bulk_create(recipients)
        created[Opportunity] += 1
        created[OpportunityRecipient] += len(recipients)
    return created


def _team_enrollments(team, *, first):
    students = GroupMembership.objects.filter(
        group=team, role=GroupRole.STUDENT, published_at__isnull=False
    ).values("student")
    others = (
        team.cycle.enrollments.active()
        .filter(student__in=students)
        .exclude(pk=first.pk)
        .order_by("student__user__full_name", "pk")
    )
    return [first, *others]
