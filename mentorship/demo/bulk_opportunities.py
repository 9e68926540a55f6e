"""Recommendations in every benchmark cycle (``seed_demo --students N``).

As the service sends them (mentorship.opportunities): each mentor posts an
internship or a job to their published mentees, and each group's chief one
to the whole group (its published students). Posted while the cycle was
tracked; in closed cycles the students got on with them (applied, interview,
offer, declined), in the running one most are still new. Set-based: two
inserts in chunks and one date update per cycle.
"""

import datetime
from collections import defaultdict

from ..models import GroupRole, Opportunity, OpportunityRecipient, RecipientStatus

BATCH = 2000
ROLES = [
    ("internship", "Summer analyst intern"),
    ("job", "Graduate trainee"),
    ("internship", "Research assistant intern"),
    ("job", "Management associate"),
]
CLOSED_STATUSES = [
    RecipientStatus.APPLIED,
    RecipientStatus.INTERESTED,
    RecipientStatus.NEW,
    RecipientStatus.INTERVIEW,
    RecipientStatus.DECLINED,
    RecipientStatus.OFFER,
    RecipientStatus.APPLIED,
]
RUNNING_STATUSES = [RecipientStatus.NEW] * 3 + [RecipientStatus.INTERESTED, RecipientStatus.APPLIED]


def seed_bulk_opportunities(seeder, matches, by_cycle):
    """``matches`` are the published matches just made, ``by_cycle`` the
    BulkCycles by cycle pk. Returns {model: rows created}."""
    mentees = defaultdict(list)  # engagement -> enrollment pks
    enrollment_of = {}  # (cycle pk, student profile pk) -> enrollment pk
    for match in matches:
        mentees[match.engagement].append(match.enrollment_id)
        enrollment_of[(match.enrollment.cycle_id, match.enrollment.student_id)] = (
            match.enrollment_id
        )
    posts = []  # (opportunity, recipient enrollment pks)
    for number, (engagement, enrollments) in enumerate(mentees.items()):
        posts.append((_post(engagement.cycle_id, engagement.mentor, number, by_cycle), enrollments))
    students = defaultdict(list)
    chiefs = {}
    for member in seeder.members:
        if member.role == GroupRole.STUDENT:
            key = (member.group.cycle_id, member.student_id)
            if key in enrollment_of:
                students[member.group].append(enrollment_of[key])
        elif member.role == GroupRole.CHIEF:
            chiefs[member.group] = member.mentor
    for number, (group, chief) in enumerate(chiefs.items(), start=len(posts)):
        if students[group]:
            opportunity = _post(group.cycle_id, chief, number, by_cycle, group=group)
            posts.append((opportunity, students[group]))
    opportunities = [opportunity for opportunity, _ in posts]
    Opportunity.objects.bulk_create(opportunities, batch_size=BATCH)
    recipients = []
    for opportunity, enrollments in posts:
        closed = by_cycle[opportunity.cycle_id].cycle.stage == "closed"
        statuses = CLOSED_STATUSES if closed else RUNNING_STATUSES
        recipients += [
            OpportunityRecipient(
                opportunity=opportunity,
                enrollment_id=enrollment,
                status=statuses[(opportunity.pk + index) % len(statuses)],
            )
            for index, enrollment in enumerate(enrollments)
        ]
    OpportunityRecipient.objects.bulk_create(recipients, batch_size=BATCH)
    # auto_now_add stamped today: each was posted a third of the way into tracking.
    for cycle_pk, span in by_cycle.items():
        Opportunity.objects.filter(cycle_id=cycle_pk).update(created_at=span.moment(0.35))
    return {Opportunity: len(opportunities), OpportunityRecipient: len(recipients)}


def _post(cycle_pk, author, number, by_cycle, group=None):
    span = by_cycle[cycle_pk]
    kind, role = ROLES[number % len(ROLES)]
    posted = span.moment(0.35)
    note = "For the whole group: ask me about the interviews." if group else ""
    return Opportunity(
        cycle_id=cycle_pk,
        author=author,
        kind=kind,
        organisation=author.organisation,
        role=role,
        link=f"https://careers.example.com/{kind}/{cycle_pk}-{number}",
        note=note,
        deadline=(posted + datetime.timedelta(days=30 + number % 30)).date(),
        group=group,
    )
