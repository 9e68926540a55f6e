"""Meetings and activities of every benchmark cycle (``seed_demo --students N``).

Registered with mentorship's bulk registry: each published match gets three
confirmed meetings spread over the cycle's tracking; each group three
activities of its own, its students registered and, once held, their
attendance taken. Set-based: a few queries per run whatever the size.
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import F

from mentorship.demo.bulk import COORDINATOR
from mentorship.models import GroupMembership, Match, User

from .models import Activity, Meeting, MeetingParticipant, Registration

BATCH = 2000
MEETINGS = (0.15, 0.45, 0.8)  # shares of the tracked span
ACTIVITIES = (("exchange_salon", 0.25), ("training", 0.55), ("company_visit", 0.85))
ATTENDANCE = ["present"] * 8 + ["excused", "absent"]


def seed_bulk_sessions(*, cycles, now):
    by_pk = {span.cycle.pk: span for span in cycles}
    created = Counter()
    created.update(_meetings(by_pk))
    created.update(_activities(by_pk, now))
    return created


def _meetings(by_pk):
    matches = list(
        Match.objects.filter(enrollment__cycle_id__in=by_pk, published_at__isnull=False)
        .order_by("pk")
        .values_list("enrollment__cycle_id", "engagement__mentor_id", "enrollment__student_id")
    )
    meetings, students = [], []
    for index, (cycle_pk, mentor_pk, student_pk) in enumerate(matches):
        span = by_pk[cycle_pk]
        for number, share in enumerate(MEETINGS):
            meetings.append(
                Meeting(
                    cycle_id=cycle_pk,
                    author_id=mentor_pk,
                    starts_at=span.moment(share) + datetime.timedelta(hours=index % 48),
                    duration_minutes=30 + 15 * (index % 3),
                    mode=("in_person", "video", "phone")[(index + number) % 3],
                    topics=["career_planning"],
                    summary="Talked through the plan for the coming weeks.",
                )
            )
            students.append(student_pk)
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    participants = [
        MeetingParticipant(
            meeting=meeting,
            student_id=student_pk,
            status="confirmed",
            answered_at=meeting.starts_at + datetime.timedelta(days=1),
        )
        for meeting, student_pk in zip(meetings, students, strict=True)
    ]
    MeetingParticipant.objects.bulk_create(participants, batch_size=BATCH)
    # auto_now_add stamped today: each was logged the day it was held.
    Meeting.objects.filter(cycle_id__in=by_pk).update(
        created_at=F("starts_at"), updated_at=F("starts_at")
    )
    return {Meeting: len(meetings), MeetingParticipant: len(participants)}


def _activities(by_pk, now):
    coordinator = User.objects.get(email=COORDINATOR)
    members = defaultdict(list)
    for group_pk, cycle_pk, user_pk in (
        GroupMembership.objects.filter(group__cycle_id__in=by_pk, student__isnull=False)
        .order_by("group_id", "pk")
        .values_list("group_id", "group__cycle_id", "student__user_id")
    ):
        members[(group_pk, cycle_pk)].append(user_pk)
    activities, audiences = [], []
    for (group_pk, cycle_pk), users in members.items():
        span = by_pk[cycle_pk]
        for kind, share in ACTIVITIES:
            starts = span.moment(share)
            activities.append(
                Activity(
                    cycle_id=cycle_pk,
                    group_id=group_pk,
                    kind=kind,
                    title=f"{kind.replace('_', ' ').capitalize()} {group_pk}",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    place="Career Development Center",
                    created_by=coordinator,
                )
            )
            audiences.append(users)
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    registrations = []
    for activity, users in zip(activities, audiences, strict=True):
        held = activity.ends_at < now
        for index, user_pk in enumerate(users):
            attendance = ATTENDANCE[(activity.pk + index) % len(ATTENDANCE)] if held else ""
            registrations.append(
                Registration(
                    activity=activity,
                    user_id=user_pk,
                    status="going",
                    attendance=attendance,
                    attendance_by=coordinator if attendance else None,
                    attendance_at=activity.ends_at if attendance else None,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    Activity.objects.filter(cycle_id__in=by_pk).update(
        created_at=F("starts_at") - datetime.timedelta(days=14),
        updated_at=F("starts_at") - datetime.timedelta(days=14),
    )
    return {Activity: len(activities), Registration: len(registrations)}
