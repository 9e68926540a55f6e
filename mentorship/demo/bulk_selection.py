"""Next year's benchmark cycles, in two-way selection (``seed_demo --students N``).

Each benchmark program gets the cycle after its running one, opened for
selection in the autumn with the preference deadline next summer: this
year's mentors signed again (accepted, capacity 3 to 5), a tenth of the pool
newly invited (some not yet answered, some declined); this year's students
applied to continue, nine in ten ranked 3 to 5 mentors (popular mentors
drawing most, half keeping their current mentor first), half the mentors
judged their applicants (the last of a long list not acceptable), and the
coordinator ran the matching once (a preview, not committed). Rows follow
the selection service's rules: students rank accepted mentors of the cycle,
mentors judge only students who ranked them. Set-based, then the matching
service itself, as the coordinator runs it.
"""

import datetime
import random
from collections import Counter, defaultdict

from programs.models import Cycle, Stage, StageTransition
from programs.table_stats import analyze

from ..matching_runs import run_matching
from ..models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    MatchingRun,
    MentorPreference,
    StudentPreference,
)
from .plan import local_time

BATCH = 2000
RANKED_SHARE = 0.9  # applicants who ranked by now
NEW_SHARE = 0.1  # of the pool, newly invited for next year


def seed_selection(seeder, coordinator):
    """Next year's cycle of each benchmark program, in selection; returns
    {model: rows created}. ``seeder.running`` says who is in this year's."""
    rng = random.Random(2029)
    created = Counter()
    for program, (students, engaged, pool) in seeder.running.items():
        cycle = _cycle(program, seeder, coordinator)
        engagements = _engagements(cycle, engaged, pool, rng)
        applicants = _applicants(cycle, students)
        student_rows = _rankings(program, engagements, applicants, seeder, rng)
        mentor_rows = _judgements(engagements, student_rows, rng)
        created.update(
            {
                Cycle: 1,
                StageTransition: 1,
                Engagement: len(engagements),
                Enrollment: len(applicants),
                StudentPreference: len(student_rows),
                MentorPreference: len(mentor_rows),
            }
        )
        # The matching reads what was just inserted: plan it at its size.
        analyze([Engagement, Enrollment, StudentPreference, MentorPreference])
        run_matching(cycle=cycle, by=coordinator)
        created[MatchingRun] += 1
    return created


def _cycle(program, seeder, coordinator):
    start = seeder.year + 1
    opened = min(
        local_time(datetime.date(seeder.year, 11, 2)), seeder.now - datetime.timedelta(hours=1)
    )
    cycle = Cycle.objects.create(
        program=program,
        name=f"{start}-{start + 1}",
        starts_on=datetime.date(start, 9, 1),
        ends_on=datetime.date(start + 1, 7, 31),
        stage=Stage.SELECTION,
        stage_changed_at=opened,
        preference_deadline=local_time(datetime.date(start, 7, 10), hour=18),
    )
    Cycle.objects.filter(pk=cycle.pk).update(created_at=opened)
    move = StageTransition.objects.create(
        cycle=cycle,
        from_stage=Stage.SETUP,
        to_stage=Stage.SELECTION,
        by=coordinator,
        note="Selection for next year opens.",
    )
    StageTransition.objects.filter(pk=move.pk).update(at=opened)
    cycle.opened = opened
    return cycle


def _engagements(cycle, engaged, pool, rng):
    """{mentor profile pk: Engagement} of next year: this year's mentors
    accepted, newcomers invited or declined."""
    returning = [mentor for mentor in pool if mentor.pk in engaged]
    others = [mentor for mentor in pool if mentor.pk not in engaged]
    newcomers = others[: max(1, round(len(pool) * NEW_SHARE))] if others else []
    rows = {}
    for index, mentor in enumerate(returning + newcomers):
        status = EngagementStatus.ACCEPTED
        if index >= len(returning):  # two newcomers in three have not answered yet
            late = (index - len(returning)) % 3 == 2
            status = EngagementStatus.DECLINED if late else EngagementStatus.INVITED
        rows[mentor.pk] = Engagement(
            mentor=mentor,
            cycle=cycle,
            capacity=rng.randint(3, 5),
            status=status,
            contract_start=cycle.starts_on,
            contract_end=cycle.ends_on,
            priority=status == EngagementStatus.ACCEPTED and rng.random() < 0.25,
        )
    Engagement.objects.bulk_create(rows.values(), batch_size=BATCH)
    Engagement.objects.filter(cycle=cycle).update(created_at=cycle.opened)
    return rows


def _applicants(cycle, students):
    rows = [
        Enrollment(student=student, cycle=cycle, status=EnrollmentStatus.APPLIED)
        for student in students
    ]
    Enrollment.objects.bulk_create(rows, batch_size=BATCH)
    Enrollment.objects.filter(cycle=cycle).update(created_at=cycle.opened)
    return rows


def _rankings(program, engagements, applicants, seeder, rng):
    """Each ranking student's list, popular mentors drawing most."""
    accepted = [e for e in engagements.values() if e.status == EngagementStatus.ACCEPTED]
    if not accepted:
        return []
    rng.shuffle(accepted)
    weights = [1 / (k + 1) ** 0.7 for k in range(len(accepted))]
    longest = min(5, program.preferences_count, len(accepted))
    rows = []
    for index, enrollment in enumerate(applicants):
        if rng.random() >= RANKED_SHARE:
            continue
        wanted = rng.randint(min(3, longest), longest)
        choices = []
        current = seeder.mentor_of.get(enrollment.student_id)
        mine = current and engagements.get(current.mentor_id)
        if index % 2 == 0 and mine is not None and mine.status == EngagementStatus.ACCEPTED:
            choices.append(mine)
        while len(choices) < wanted:
            pick = rng.choices(accepted, weights)[0]
            if pick not in choices:
                choices.append(pick)
        rows += [
            StudentPreference(enrollment=enrollment, engagement=engagement, rank=rank)
            for rank, engagement in enumerate(choices, 1)
        ]
    StudentPreference.objects.bulk_create(rows, batch_size=BATCH)
    return rows


def _judgements(engagements, student_rows, rng):
    """Half the accepted mentors ranked everyone who ranked them."""
    ranked_by = defaultdict(list)
    for row in student_rows:
        ranked_by[row.engagement].append(row.enrollment)
    rows = []
    for index, (engagement, applicants) in enumerate(ranked_by.items()):
        if index % 2:
            continue
        rng.shuffle(applicants)
        refused = applicants[-1:] if len(applicants) > 6 else []
        rows += [
            MentorPreference(
                engagement=engagement,
                enrollment=enrollment,
                rank=None if enrollment in refused else rank,
                acceptable=enrollment not in refused,
            )
            for rank, enrollment in enumerate(applicants, 1)
        ]
    MentorPreference.objects.bulk_create(rows, batch_size=BATCH)
    return rows
