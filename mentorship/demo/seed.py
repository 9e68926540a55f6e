"""Write the demo plan to the database, creating only what is missing.

Existing rows are never changed, so a second run is a no-op and a coordinator's
edits to demo data survive a re-run. Rows are created in bulk per table: the
demo holds a few hundred rows and ``make run`` should not wait for them.
"""

from collections import Counter

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from programs.models import Cycle, Program, Stage, StageTransition
from programs.services import create_program
from programs.table_stats import analyze_filled

from ..models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    GroupJudgement,
    GroupMembership,
    GroupPreference,
    Guest,
    Match,
    MatchSource,
    MentorPreference,
    MentorProfile,
    RosterEntry,
    RosterRole,
    StaffRole,
    StaffRoleKind,
    StudentPreference,
    StudentProfile,
    User,
)
from ..models import Group as MentorGroup
from .catalogue import build_plan
from .extensions import run_demo_extensions
from .plan import COORDINATOR, LOGINS, STEERING

BATCH = 500


class DemoSeeder:
    def __init__(self, plan):
        self.plan = plan
        self.created = Counter()

    def _create_missing(self, model, rows, key, existing):
        """Create the ``rows`` whose ``key`` (attribute names) is not among ``existing``."""
        have = set(existing.values_list(*key))
        missing = {}
        for row in rows:
            missing.setdefault(tuple(getattr(row, name) for name in key), row)
        missing = [row for k, row in missing.items() if k not in have]
        model.objects.bulk_create(missing, batch_size=BATCH)
        self.created[model] += len(missing)

    @transaction.atomic
    def run(self):
        self.started = timezone.now()
        self.users = self._users()
        self.mentors = self._profiles(MentorProfile, self.plan.mentors)
        self.students = self._profiles(StudentProfile, self.plan.students)
        for spec in self.plan.programs:
            self._program(spec)
        # The extensions' seeders query these tables next.
        analyze_filled(self.created)
        return self.created

    def _users(self):
        people = {email: name for email, (name, _) in LOGINS.items()}
        people |= {e: s.full_name for e, s in (self.plan.mentors | self.plan.students).items()}
        existing = User.objects.in_bulk(list(people), field_name="email")
        # One hash for the four logins: the password is published, a salt per
        # user protects nothing, and each hash costs most of a second.
        demo_hash = make_password(settings.DEMO_PASSWORD) if set(LOGINS) - set(existing) else ""
        new = [
            User(
                email=email,
                full_name=name,
                password=demo_hash if email in LOGINS else make_password(None),
                date_joined=self.plan.earliest,
            )
            for email, name in people.items()
            if email not in existing
        ]
        User.objects.bulk_create(new, batch_size=BATCH)
        self.created[User] += len(new)
        users = User.objects.in_bulk(list(people), field_name="email")
        for email in LOGINS:
            _, made = EmailAddress.objects.get_or_create(
                user=users[email], email=email, defaults=dict(verified=True, primary=True)
            )
            self.created[EmailAddress] += made
        return users

    def _profiles(self, model, specs):
        fields = [f.name for f in model._meta.concrete_fields if f.name not in ("id", "user")]
        rows = [
            model(user=self.users[email], **{name: getattr(spec, name) for name in fields})
            for email, spec in specs.items()
        ]
        user_ids = [row.user_id for row in rows]
        self._create_missing(model, rows, ["user_id"], model.objects.filter(user__in=user_ids))
        by_user = dict(model.objects.filter(user__in=user_ids).values_list("user_id", "pk"))
        return {email: by_user[self.users[email].pk] for email in specs}

    def _program(self, spec):
        program = Program.objects.filter(name=spec.name).first()
        if program is None:
            program = create_program(
                name=spec.name,
                kind=spec.kind,
                organisation=spec.organisation,
                description=spec.description,
            )
            self.created[Program] += 1
        for email, role in ((COORDINATOR, StaffRoleKind.COORDINATOR), (STEERING, "steering")):
            # One by one: saving a role is what grants admin access (a signal).
            _, made = StaffRole.objects.get_or_create(
                user=self.users[email], program=program, role=role
            )
            self.created[StaffRole] += made
        for guest in spec.guests:
            _, made = Guest.objects.get_or_create(
                program=program, name=guest["name"], defaults=guest
            )
            self.created[Guest] += made
        cycles = [(self._cycle(program, c), c) for c in spec.cycles]
        self._roster(program, cycles)

    def _cycle(self, program, spec):
        last_move = spec.transitions[-1][2]
        cycle, made = Cycle.objects.get_or_create(
            program=program,
            name=spec.name,
            defaults=dict(
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                preference_deadline=spec.preference_deadline,
                priority_invitations_until=spec.priority_invitations_until,
                # Set directly: the stage guards judge live moves, not history.
                stage=spec.stage,
                stage_changed_at=last_move,
            ),
        )
        if made:
            self.created[Cycle] += 1
            Cycle.objects.filter(pk=cycle.pk).update(created_at=spec.opened_at)
        self._transitions(cycle, spec)
        self._groups(cycle, spec)
        return cycle

    def _transitions(self, cycle, spec):
        done = set(cycle.transitions.values_list("to_stage", flat=True))
        coordinator = self.users[COORDINATOR]
        for from_stage, to_stage, at, note in spec.transitions:
            if to_stage in done:
                continue
            move = StageTransition.objects.create(
                cycle=cycle, from_stage=from_stage, to_stage=to_stage, by=coordinator, note=note
            )
            # ``at`` is stamped on insert; history needs the day it happened.
            StageTransition.objects.filter(pk=move.pk).update(at=at)
            self.created[StageTransition] += 1

    def _groups(self, cycle, spec):
        self._engagements(cycle, spec)
        students = [email for group in spec.groups for email in group.students]
        # A closed cycle's matched students finished it, as closing it does.
        placed = (
            EnrollmentStatus.FINISHED if spec.stage == Stage.CLOSED else EnrollmentStatus.MATCHED
        )
        enrollments = [
            Enrollment(student_id=self.students[e], cycle=cycle, status=placed) for e in students
        ] + [
            Enrollment(student_id=self.students[e], cycle=cycle, status=EnrollmentStatus.APPLIED)
            for e in spec.applicants
        ]
        self._create_missing(
            Enrollment, enrollments, ["student_id", "cycle_id"], cycle.enrollments.all()
        )
        self._matches(cycle, spec)
        self._rankings(cycle, spec)
        memberships, groups = [], {}
        for group_spec in spec.groups:
            group, made = MentorGroup.objects.get_or_create(
                cycle=cycle,
                name=group_spec.name,
                defaults=dict(
                    kind=group_spec.kind,
                    focus=group_spec.focus,
                    sponsoring_organisation=group_spec.sponsoring_organisation,
                    description=group_spec.description,
                    capacity=group_spec.capacity,
                ),
            )
            self.created[MentorGroup] += made
            if made and group_spec.guests:
                group.guests.set(cycle.program.guests.filter(name__in=group_spec.guests))
            groups[group.name] = group.pk
            memberships += self._members(group, group_spec)
        self._create_missing(
            GroupMembership,
            memberships,
            ["group_id", "mentor_id", "student_id"],
            GroupMembership.objects.filter(group__cycle=cycle),
        )
        self._group_rankings(cycle, spec, groups)
        for model, stamp, lookup, when in (
            (Engagement, "created_at", "cycle", spec.opened_at),
            (Enrollment, "created_at", "cycle", spec.opened_at),
            (GroupMembership, "joined_at", "group__cycle", spec.kicked_off_at or spec.opened_at),
            (
                GroupMembership,
                "published_at",
                "group__cycle",
                spec.kicked_off_at or spec.opened_at,
            ),
        ):
            model.objects.filter(**{lookup: cycle, f"{stamp}__gte": self.started}).update(
                **{stamp: when}
            )

    def _engagements(self, cycle, spec):
        closed = spec.stage == Stage.CLOSED
        answered = {EngagementStatus.ACCEPTED, EngagementStatus.DECLINED}
        engagements = []
        for email, capacity in spec.capacities.items():
            status = spec.statuses.get(email, EngagementStatus.ACCEPTED)
            engagements.append(
                Engagement(
                    mentor_id=self.mentors[email],
                    cycle=cycle,
                    capacity=capacity,
                    status=EngagementStatus.ENDED if closed else status,
                    contract_start=spec.starts_on,
                    contract_end=spec.ends_on,
                    priority=email in spec.priority,
                    rated_excellent=email in spec.excellent,
                    invited_at=spec.opened_at,
                    invited_by=self.users[COORDINATOR],
                    responded_at=spec.opened_at if status in answered else None,
                )
            )
        self._create_missing(
            Engagement, engagements, ["mentor_id", "cycle_id"], cycle.engagements.all()
        )

    def _rankings(self, cycle, spec):
        """Both sides' lists, only for people who have none: edits made in the demo stay."""
        engagement_of = dict(cycle.engagements.values_list("mentor__user__email", "pk"))
        enrollment_of = dict(cycle.enrollments.values_list("student__user__email", "pk"))
        ranked = set(
            StudentPreference.objects.filter(enrollment__cycle=cycle).values_list(
                "enrollment_id", flat=True
            )
        )
        StudentPreference.objects.bulk_create(
            StudentPreference(
                enrollment_id=enrollment_of[student],
                engagement_id=engagement_of[mentor],
                rank=rank,
            )
            for student, mentors in spec.student_rankings.items()
            if enrollment_of[student] not in ranked
            for rank, mentor in enumerate(mentors, 1)
        )
        judged = set(
            MentorPreference.objects.filter(engagement__cycle=cycle).values_list(
                "engagement_id", flat=True
            )
        )
        MentorPreference.objects.bulk_create(
            MentorPreference(
                engagement_id=engagement_of[mentor],
                enrollment_id=enrollment_of[student],
                rank=rank,
                acceptable=rank is not None,
            )
            for mentor, students in spec.mentor_rankings.items()
            if engagement_of[mentor] not in judged
            for student, rank in students
        )

    def _group_rankings(self, cycle, spec, groups):
        """Students' group lists and leaders' judgements, only where none exist yet."""
        enrollment_of = dict(cycle.enrollments.values_list("student__user__email", "pk"))
        ranked = set(
            GroupPreference.objects.filter(group__cycle=cycle).values_list(
                "enrollment_id", flat=True
            )
        )
        GroupPreference.objects.bulk_create(
            GroupPreference(enrollment_id=enrollment_of[student], group_id=groups[name], rank=rank)
            for student, chosen in spec.group_rankings.items()
            if enrollment_of[student] not in ranked
            for rank, name in enumerate(chosen, 1)
        )
        judged = set(
            GroupJudgement.objects.filter(group__cycle=cycle).values_list("group_id", flat=True)
        )
        GroupJudgement.objects.bulk_create(
            GroupJudgement(
                group_id=groups[name],
                enrollment_id=enrollment_of[student],
                rank=rank,
                acceptable=rank is not None,
            )
            for name, students in spec.group_judgements.items()
            if groups[name] not in judged
            for student, rank in students
        )

    def _matches(self, cycle, spec):
        """Each mentor team's students with their own mentor, as placed by the office."""
        engagement_of = dict(cycle.engagements.values_list("mentor_id", "pk"))
        enrollment_of = dict(cycle.enrollments.values_list("student_id", "pk"))
        rows = [
            Match(
                enrollment_id=enrollment_of[self.students[student]],
                engagement_id=engagement_of[self.mentors[mentor]],
                source=MatchSource.MANUAL,
                reason="Demo data: placed by the program office.",
                created_by=self.users[COORDINATOR],
                # Students met their mentors at kick-off: published by then.
                published_at=spec.kicked_off_at,
            )
            for group in spec.groups
            for mentor, students in group.assignments.items()
            for student in students
        ]
        self._create_missing(
            Match, rows, ["enrollment_id"], Match.objects.filter(enrollment__cycle=cycle)
        )

    def _members(self, group, spec):
        # A coordinator may have named another chief since the last run; the
        # demo's chief then joins as a coach rather than break the one-chief rule.
        # Rows already present (by person) are skipped whatever their role.
        has_chief = group.memberships.filter(role="chief").exists()
        # Placed by the office, not by a run: everyone sees them at once
        # (dated with the rest of the cycle afterwards).
        published_at = timezone.now()
        rows = [
            GroupMembership(
                group=group,
                mentor_id=self.mentors[email],
                role="coach" if role == "chief" and has_chief else role,
                published_at=published_at,
            )
            for email, role in spec.mentors
        ]
        rows += [
            GroupMembership(
                group=group,
                student_id=self.students[email],
                role="student",
                published_at=published_at,
            )
            for email in spec.students
        ]
        return rows

    def _roster(self, program, cycles):
        rows = []
        for _, spec in cycles:
            for group in spec.groups:
                rows += [(email, RosterRole.MENTOR) for email, _ in group.mentors]
                rows += [(email, RosterRole.STUDENT) for email in group.students]
            rows += [(email, RosterRole.MENTOR) for email in spec.capacities]
            rows += [(email, RosterRole.STUDENT) for email in spec.applicants]
        entries = [
            RosterEntry(program=program, user=self.users[email], role=role) for email, role in rows
        ]
        self._create_missing(
            RosterEntry, entries, ["program_id", "user_id", "role"], program.roster.all()
        )
        # Oldest cycle first: a person joined the roster when first recruited.
        for _, spec in reversed(cycles):
            emails = {e for g in spec.groups for e in [*g.students, *(m for m, _ in g.mentors)]}
            emails |= {*spec.capacities, *spec.applicants}
            program.roster.filter(added_at__gte=self.started, user__email__in=emails).update(
                added_at=spec.opened_at
            )


def seed_demo(today=None):
    """Create the demo; returns {model: rows created}."""
    plan = build_plan(today or timezone.localdate())
    created = DemoSeeder(plan).run()
    with transaction.atomic():
        created.update(run_demo_extensions(plan, timezone.now()))
    return created, plan
