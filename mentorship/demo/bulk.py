"""Benchmark-sized data: ``seed_demo --students N --mentors M --cycles C``.

Shaped like the coaching program's record (800 coaches, 11,000 students over
13 years): each student takes part in one cycle, mentors come back for several.
People and students are split evenly between two benchmark programs, kept apart
from the demo's so both can live in one database. Rows go in with bulk_create;
the only other queries are a few per cycle that back-date timestamps.
"""

import datetime
import random
from collections import Counter

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from programs.models import Cycle, GroupKind, Program, ProgramKind, Stage, StageTransition
from programs.services import create_program
from programs.table_stats import analyze

from ..models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    GroupMembership,
    MentorProfile,
    RosterEntry,
    StaffRole,
    StudentProfile,
    User,
)
from ..models import Group as MentorGroup
from . import names
from .bulk_history import seed_history
from .bulk_selection import seed_selection
from .plan import academic_year, cycle_timeline

ALUMNI = "Alumni Professional Mentor Program (benchmark)"
COACHING = "Career Coaching Program (benchmark)"
COORDINATOR = "bench-coordinator@demo.test"
# The steering group of both benchmark programs (assessments.demo_bulk_awards):
# the first is the steering member benchmarks/pages.py signs in as.
STEERING = ["bench-steering@demo.test", "bench-judge-2@demo.test", "bench-judge-3@demo.test"]
BATCH = 2000

# One round of the coaching program's group kinds: (kind, coaches, students).
COACHING_ROUND = [
    (GroupKind.ENTERPRISE, 6, 20),
    (GroupKind.INDUSTRY, 6, 18),
    (GroupKind.PERSONALIZED, 3, 9),
]
ALUMNI_KINDS = ["alumnus"] * 3 + ["entrepreneur", "government"]
ALUMNI_DEGREES = ["emba", "mba", "mpacc", "undergraduate", "graduate"]
COACHING_KINDS = ["enterprise"] * 4 + ["alumnus", "faculty"]
TITLES = ["Director", "Senior Manager", "Vice President", "Partner", "Chief Engineer", "Founder"]


class BulkSizeError(ValueError):
    pass


def seed_bulk(*, students, mentors, cycles, today=None):
    """Generate the data; returns {table: rows created}, or None when it is
    already there (a second run skips rather than piling up another copy)."""
    if mentors < 6:
        raise BulkSizeError("--mentors must be at least 6: a team of three per program.")
    if students < 2 or cycles < 1:
        raise BulkSizeError("--students must be at least 2 and --cycles at least 1.")
    with transaction.atomic():
        if Program.objects.filter(name__in=[ALUMNI, COACHING]).exists():
            return None
        seeder = _BulkSeeder(students, mentors, cycles, today or timezone.localdate())
        return seeder.run()


def _split(items, parts):
    """``items`` cut into ``parts`` consecutive runs of near-equal length."""
    size, extra = divmod(len(items), parts)
    runs, start = [], 0
    for index in range(parts):
        end = start + size + (index < extra)
        runs.append(items[start:end])
        start = end
    return runs


def _share(total, limits):
    """Split up to ``total`` in proportion to ``limits``, none above its limit."""
    total = min(total, sum(limits))
    if not total:
        return [0] * len(limits)
    shares = [total * limit // sum(limits) for limit in limits]
    for index in range(total - sum(shares)):
        shares[index % len(shares)] += 1
    return [min(share, limit) for share, limit in zip(shares, limits, strict=True)]


class _BulkSeeder:
    def __init__(self, students, mentors, cycles, today):
        self.sizes = (students, mentors, cycles)
        self.rng = random.Random(13)
        self.now = timezone.now()
        self.year = academic_year(today)
        self.created = Counter()
        self.filled = set()
        self.groups, self.members, self.engagements, self.enrollments = [], [], [], []
        self.student_profiles = []
        self.mentor_of = {}  # student profile pk -> the Engagement they are matched to
        self.running = {}  # program -> (the running cycle's students, its mentors' pks, pool)

    def _insert(self, model, rows):
        # bulk_create fills in primary keys on PostgreSQL and SQLite (RETURNING).
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.created[model._meta.verbose_name_plural] += len(rows)
        self.filled.add(model)
        return rows

    def run(self):
        students, mentors, cycles = self.sizes
        coordinator, made = User.objects.get_or_create(
            email=COORDINATOR,
            defaults=dict(full_name="Benchmark Coordinator", password=make_password(None)),
        )
        self.created[User._meta.verbose_name_plural] += made
        plans = [
            (ALUMNI, ProgramKind.MENTOR, "School of Economics and Business Administration"),
            (COACHING, ProgramKind.COACHING, "Career Development Center"),
        ]
        programs = []
        for (name, kind, organisation), n_mentors, n_students in zip(
            plans,
            [mentors // 2, mentors - mentors // 2],
            [students // 2, students - students // 2],
            strict=True,
        ):
            program = create_program(name=name, kind=kind, organisation=organisation)
            # Saved one by one: the role's signal gives the coordinator admin access.
            StaffRole.objects.create(user=coordinator, program=program, role="coordinator")
            programs.append((program, n_mentors, n_students))
        all_cycles = self._cycles([p for p, _, _ in programs], coordinator)
        offset = {"mentor": 0, "student": 0}
        for program, n_mentors, n_students in programs:
            pool = self._mentors(program, n_mentors, offset)
            runs = _split(self._students(program, n_students, offset, all_cycles[program]), cycles)
            previous = set()
            fill = (
                self._alumni_cycle if program.kind == ProgramKind.MENTOR else self._coaching_cycle
            )
            for index, ((cycle, _), run) in enumerate(zip(all_cycles[program], runs, strict=True)):
                order = self._rotation(pool, index)
                previous = fill(cycle, order, run, previous)
            self.running[program] = (run, previous, pool)
        self._insert(MentorGroup, self.groups)
        self._insert(GroupMembership, self.members)
        self._insert(Engagement, self.engagements)
        self._insert(Enrollment, self.enrollments)
        # The back-dating updates and whatever runs next in this transaction
        # (a benchmark, a test) query these tables: plan them at their size.
        analyze(self.filled)
        self._backdate(all_cycles)
        history = seed_history(self, coordinator, all_cycles)
        # Next year's cycles last: nothing of this year's history is theirs.
        history.update(seed_selection(self, coordinator))
        self.created.update({m._meta.verbose_name_plural: n for m, n in history.items()})
        return dict(self.created)

    def _cycles(self, programs, coordinator):
        _, _, count = self.sizes
        by_program, moves = {}, []
        for program in programs:
            rows = []
            for index in range(count):
                start = self.year - count + 1 + index
                closed = index < count - 1
                timeline = cycle_timeline(start, closed=closed, now=self.now)
                cycle = Cycle(
                    program=program,
                    name=f"{start}-{start + 1}",
                    starts_on=datetime.date(start, 9, 1),
                    ends_on=datetime.date(start + 1, 7, 31),
                    stage=Stage.CLOSED if closed else Stage.TRACKING,
                    stage_changed_at=timeline[-1][2],
                )
                rows.append((cycle, timeline))
            self._insert(Cycle, [cycle for cycle, _ in rows])
            by_program[program] = rows
            moves += [
                StageTransition(cycle=cycle, from_stage=frm, to_stage=to, by=coordinator, note=note)
                for cycle, timeline in rows
                for frm, to, _, note in timeline
            ]
        self._insert(StageTransition, moves)
        return by_program

    def _mentors(self, program, count, offset):
        alumni = program.kind == ProgramKind.MENTOR
        users, profiles = [], []
        for _ in range(count):
            offset["mentor"] += 1
            area = self.rng.choice(list(names.ORGANISATIONS))
            kind = self.rng.choice(ALUMNI_KINDS if alumni else COACHING_KINDS)
            degree = ""
            if kind == "alumnus":
                degree = self.rng.choice(ALUMNI_DEGREES) if alumni else "graduate"
            organisation = self.rng.choice(names.ORGANISATIONS[area])
            title = self.rng.choice(TITLES)
            user = self._user(f"bench-mentor-{offset['mentor']:05d}@demo.test", 0.05)
            users.append(user)
            profiles.append(
                MentorProfile(
                    user=user,
                    kind=kind,
                    alumni_degree=degree,
                    organisation=organisation,
                    title=title,
                    industry=names.INDUSTRIES[area],
                    discipline=names.DISCIPLINES[area],
                    bio=names.bio(
                        self.rng,
                        title=title,
                        organisation=organisation,
                        industry=names.INDUSTRIES[area],
                    ),
                    languages="Chinese, English",
                )
            )
        self._people(program, users, MentorProfile, profiles, "mentor")
        return profiles

    def _students(self, program, count, offset, cycles):
        majors = (
            [m for group in names.BUSINESS_MAJORS.values() for m in group]
            if program.kind == ProgramKind.MENTOR
            else names.UNIVERSITY_MAJORS
        )
        users, profiles = [], []
        cycle_of = [i for i, run in enumerate(_split(range(count), len(cycles))) for _ in run]
        for index in range(count):
            offset["student"] += 1
            degree = self.rng.choices(["undergraduate", "master", "doctoral"], [7, 3, 1])[0]
            user = self._user(f"bench-student-{offset['student']:06d}@demo.test", 0.08)
            # Joined when their cycle opened; cycles take consecutive runs of students.
            user.date_joined = cycles[cycle_of[index]][1][0][2]
            users.append(user)
            profiles.append(
                StudentProfile(
                    user=user,
                    student_number=f"BENCH{offset['student']:06d}",
                    degree_level=degree,
                    major=self.rng.choice(majors),
                    year=self.rng.randint(2, 4) if degree == "undergraduate" else 1,
                    interests=", ".join(self.rng.sample(names.INTERESTS, 2)),
                )
            )
        self._people(program, users, StudentProfile, profiles, "student")
        self.student_profiles += profiles
        return profiles

    def _user(self, email, english_share):
        english = self.rng.random() < english_share
        name = names.english_name(self.rng) if english else names.pinyin_name(self.rng)
        # Unusable: hashing a real password for 11,800 people would take hours.
        return User(email=email, full_name=name, password=make_password(None))

    def _people(self, program, users, model, profiles, role):
        self._insert(User, users)
        for user, profile in zip(users, profiles, strict=True):
            profile.user_id = user.pk
        self._insert(model, profiles)
        self._insert(
            RosterEntry, [RosterEntry(program=program, user_id=u.pk, role=role) for u in users]
        )

    def _engage(self, cycle, mentor, capacity, previous):
        closed = cycle.stage == Stage.CLOSED
        engagement = Engagement(
            mentor=mentor,
            cycle=cycle,
            capacity=capacity,
            status=EngagementStatus.ENDED if closed else EngagementStatus.ACCEPTED,
            contract_start=cycle.starts_on,
            contract_end=cycle.ends_on,
            # About one returning mentor in four was rated excellent last cycle.
            priority=mentor.pk in previous and self.rng.random() < 0.25,
        )
        self.engagements.append(engagement)
        return engagement

    def _group(self, cycle, kind, name, focus, mentors, roles, capacities, students, previous):
        group = MentorGroup(cycle=cycle, kind=kind, name=name, focus=focus)
        if kind == GroupKind.ENTERPRISE:
            group.sponsoring_organisation = mentors[0].organisation
        self.groups.append(group)
        engaged = []
        for mentor, role, capacity in zip(mentors, roles, capacities, strict=True):
            engaged.append(self._engage(cycle, mentor, capacity, previous))
            self.members.append(GroupMembership(group=group, mentor=mentor, role=role))
        # Each student is matched to a mentor of their group, within capacity.
        for engagement, mentees in zip(engaged, _split(students, len(mentors)), strict=True):
            self.mentor_of.update((s.pk, engagement) for s in mentees)
        self.members += [GroupMembership(group=group, student=s, role="student") for s in students]

    def _enrol(self, cycle, run, placed):
        # A closed cycle's matched students finished it, as closing it does.
        done = (
            EnrollmentStatus.FINISHED if cycle.stage == Stage.CLOSED else EnrollmentStatus.MATCHED
        )
        self.enrollments += [
            Enrollment(
                student=student,
                cycle=cycle,
                status=done if index < placed else EnrollmentStatus.WAITLISTED,
            )
            for index, student in enumerate(run)
        ]

    def _rotation(self, pool, cycle_index):
        # Consecutive cycles share most of their mentors, as real ones do.
        start = cycle_index * max(1, len(pool) // self.sizes[2]) % len(pool)
        return pool[start:] + pool[:start]

    def _alumni_cycle(self, cycle, order, run, previous):
        # Enough teams for about four students per mentor, no more than five.
        teams = min(len(order) // 3, -(-len(run) // 12))
        shares = _share(len(run), [15] * teams)
        placed, engaged = 0, set()
        for team, share in enumerate(shares):
            mentors = order[3 * team : 3 * team + 3]
            students = run[placed : placed + share]
            placed += share
            loads = [len(part) for part in _split(students, 3)]
            capacities = [self.rng.randint(max(3, load), 5) for load in loads]
            area = names.DISCIPLINES[self.rng.choice(list(names.BUSINESS_MAJORS))]
            self._group(
                cycle, GroupKind.MENTOR_TEAM, f"Team {team + 1:03d}: {area}", area,
                mentors, ["chief", "coach", "coach"], capacities, students, previous,
            )  # fmt: skip
            engaged.update(m.pk for m in mentors)
        self._enrol(cycle, run, placed)
        return engaged

    def _coaching_cycle(self, cycle, order, run, previous):
        # Plan whole rounds of group kinds until every student has a place (or
        # the mentors run out), then spread the students over them evenly.
        plans, used = [], 0
        while sum(target for *_, target in plans) < len(run) and used < len(order):
            kind, size, target = COACHING_ROUND[len(plans) % len(COACHING_ROUND)]
            left = len(order) - used
            if left < size and (left < 5 or kind == GroupKind.PERSONALIZED):
                kind, size = GroupKind.PERSONALIZED, min(left, 5)
            size = min(size, left)
            if kind == GroupKind.PERSONALIZED:
                target = min(9, 3 * size)
            plans.append((kind, order[used : used + size], target))
            used += size
        placed, engaged = 0, set()
        shares = _share(len(run), [target for *_, target in plans])
        for number, ((kind, mentors, _), share) in enumerate(zip(plans, shares, strict=True), 1):
            size = len(mentors)
            if kind == GroupKind.PERSONALIZED:
                leaders = 1 if size <= 2 else self.rng.choice([1, 2])
                roles = ["leading"] * leaders + ["coach"] * (size - leaders)
                capacities = [self.rng.randint(3, 4) for _ in mentors]
                name, focus = f"Personalized Coaching Group {number}", "Career decision making"
            else:
                roles = ["chief"] + ["coach"] * (size - 1)
                capacities = [self.rng.randint(4, 5) for _ in mentors]
                focus = mentors[0].industry
                label = mentors[0].organisation if kind == GroupKind.ENTERPRISE else focus
                suffix = "Coaching Group" if kind == GroupKind.ENTERPRISE else "Industry Group"
                name = f"{label} {suffix} {number}"
            students = run[placed : placed + share]
            placed += share
            self._group(cycle, kind, name, focus, mentors, roles, capacities, students, previous)
            engaged.update(m.pk for m in mentors)
        self._enrol(cycle, run, placed)
        return engaged

    def _backdate(self, all_cycles):
        """auto_now_add stamps every row with today; history needs its own dates."""
        for rows in all_cycles.values():
            for cycle, timeline in rows:
                opened, kicked_off = timeline[0][2], timeline[1][2]
                Cycle.objects.filter(pk=cycle.pk).update(created_at=opened)
                StageTransition.objects.filter(cycle=cycle).update(
                    at=Case(*(When(to_stage=to, then=Value(at)) for _, to, at, _ in timeline))
                )
                Engagement.objects.filter(cycle=cycle).update(created_at=opened)
                Enrollment.objects.filter(cycle=cycle).update(created_at=opened)
                GroupMembership.objects.filter(group__cycle=cycle).update(
                    joined_at=kicked_off, published_at=kicked_off
                )
            # The roster is the pool cycles recruit from: on it from the first cycle.
            program = rows[0][0].program
            RosterEntry.objects.filter(program=program).update(added_at=rows[0][1][0][2])
