"""History of every benchmark cycle, so pages at scale read what real ones do.

The bulk seeder places people; this adds what happened afterwards: the
published matches with their notifications and the mentors'
recommendations here, then (through the extensions
registry) meetings, activities, deliverables, competence and surveys from the
apps that own them. Set-based throughout: rows built in memory, bulk-inserted
in chunks, dates set as they were, tables analysed for the next reader.
"""

from collections import Counter

from django.urls import reverse

from ..models import Match, MatchSource, Notification
from ..publishing import GROUP_TITLE, MATCH_TITLE
from .bulk_opportunities import seed_bulk_opportunities
from .extensions import BulkCycle, run_bulk_extensions

BATCH = 2000


def seed_history(seeder, coordinator, all_cycles):
    """``seeder`` is the bulk seeder after its people, groups and enrollments
    are saved; ``all_cycles`` its {program: [(cycle, timeline)]}."""
    cycles = [
        BulkCycle(cycle, timeline, seeder.now)
        for rows in all_cycles.values()
        for cycle, timeline in rows
    ]
    by_cycle = {c.cycle.pk: c for c in cycles}
    created = Counter()
    matches = _matches(seeder, coordinator, by_cycle)
    created[Match] += len(matches)
    created[Notification] += _notifications(seeder, matches, by_cycle)
    created.update(seed_bulk_opportunities(seeder, matches, by_cycle))
    from programs.table_stats import analyze_filled

    analyze_filled(created)
    created.update(run_bulk_extensions(cycles, seeder.now))
    return created


def _matches(seeder, coordinator, by_cycle):
    rows = [
        Match(
            enrollment=enrollment,
            engagement=seeder.mentor_of[enrollment.student_id],
            source=MatchSource.MANUAL,
            reason="Benchmark placement in the student's group.",
            created_by=coordinator,
            published_at=by_cycle[enrollment.cycle_id].kicked_off,
        )
        for enrollment in seeder.enrollments
        if enrollment.student_id in seeder.mentor_of
    ]
    Match.objects.bulk_create(rows, batch_size=BATCH)
    # auto_now_add stamped today: matches were made when their cycle kicked off.
    for cycle_pk, span in by_cycle.items():
        Match.objects.filter(enrollment__cycle_id=cycle_pk).update(created_at=span.kicked_off)
    return rows


def _notifications(seeder, matches, by_cycle):
    """What publishing told people: each student their mentor, their group;
    all sent, the older ones read."""
    rows, url = [], reverse("student_home")
    user_of = {profile.pk: profile.user_id for profile in seeder.student_profiles}
    membership_of = {m.student_id: m.pk for m in seeder.members if m.student_id}
    for match in matches:
        span = by_cycle[match.enrollment.cycle_id]
        at = span.kicked_off
        read = at if span.cycle.stage == "closed" else None
        for kind, title, key in (
            ("match_published", MATCH_TITLE, f"mentorship.match:{match.pk}"),
            (
                "group_published",
                GROUP_TITLE,
                f"mentorship.groupmembership:{membership_of[match.enrollment.student_id]}",
            ),
        ):
            rows.append(
                Notification(
                    recipient_id=user_of[match.enrollment.student_id],
                    kind=kind,
                    subject_key=key,
                    due_on=at.date(),
                    payload={
                        "title": title,
                        "context": str(span.cycle),
                        "url": url,
                        "event": True,
                    },
                    created_at=at,
                    sent_at=at,
                    read_at=read,
                )
            )
    Notification.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
