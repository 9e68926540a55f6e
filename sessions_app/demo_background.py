"""Background meetings and activity answers for everyone outside the curated
demo stories (sessions_app.demo), so the running cycles look like a program
year: the progress dashboard then shows a handful of students at risk, not
all of them.

Only the two demo programs' running cycles get it, never the benchmark
programs. Mentor pairs meet every three to five weeks since kick-off, coaching
groups likewise with a leading coach; about one student in twelve has gone
quiet (no confirmed meeting within the program's ``at_risk_after_days``).
Activity invitees answer, attend past activities and some rate them. Choices
come from a random generator seeded per cycle, so every database gets the
same history; a cycle whose background meetings exist is left alone, so a
second run creates nothing.
"""

import datetime
import random
from collections import Counter

from django.db.models import F, Max, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Least

from mentorship.demo.catalogue import ALUMNI, COACHING
from mentorship.demo.extensions import clock, current_cycle, kicked_off_at
from mentorship.demo.plan import MENTOR
from mentorship.models import LEADER_ROLES, GroupMembership, GroupRole
from mentorship.publishing import published_matches

from .demo import CONFIRMED, DISPUTED, PENDING
from .meeting_mails import record_meeting_to_confirm
from .models import (
    Attendance,
    Meeting,
    MeetingMode,
    MeetingParticipant,
    Registration,
    RegistrationStatus,
)

QUIET_SHARE = 0.08  # of a cycle's background students: no recent confirmed meeting
# (modes, durations in minutes, topics, summary, next steps)
PAIR_MEETINGS = [
    ((MeetingMode.IN_PERSON, MeetingMode.VIDEO), (45, 60), ["career_planning"],
     "Getting to know each other: studies so far, strengths, and what the student "
     "hopes to get from the program.", "Write down three career directions worth exploring."),
    ((MeetingMode.VIDEO, MeetingMode.PHONE), (30, 45), ["internship"],
     "Went through internship openings for the winter and spring and how to approach them.",
     "Apply to at least two internships; send the cover letter for comments."),
    ((MeetingMode.IN_PERSON, MeetingMode.VIDEO), (45, 60), ["career_planning", "job_search"],
     "Reviewed the CV line by line and practised a two-minute self-introduction.",
     "Rewrite the experience section with results, not duties."),
    ((MeetingMode.PHONE, MeetingMode.MESSAGE), (20, 30), ["job_search"],
     "Quick check-in on applications sent and the first replies from employers.",
     "Follow up with the two firms that have not answered."),
    ((MeetingMode.VIDEO, MeetingMode.IN_PERSON), (45, 60), ["thesis", "further_study"],
     "Talked through the thesis topic and whether a master's degree fits the plan.",
     "Ask the thesis supervisor about the data; list three master's programs."),
    ((MeetingMode.IN_PERSON, MeetingMode.PHONE), (30, 60), ["internship", "other"],
     "Debrief of the summer internship: what went well, what to do differently.",
     "Finish the internship report and ask the employer for an evaluation."),
    ((MeetingMode.VIDEO, MeetingMode.PHONE), (30, 45), ["career_planning"],
     "Career plan draft: goals are clearer, milestones still vague.",
     "Put dates on each milestone before the next meeting."),
    ((MeetingMode.IN_PERSON, MeetingMode.VIDEO), (60, 90), ["job_search", "other"],
     "Mock interview with feedback on structure and on questions to ask the employer.",
     "Prepare two stories that show teamwork and initiative."),
]  # fmt: skip
GROUP_MEETINGS = [
    ((MeetingMode.IN_PERSON,), (90, 120), ["career_planning"],
     "Group kick-off: introductions, what the group will work on this year and how we meet.",
     "Everyone drafts the self-awareness part of the career plan."),
    ((MeetingMode.IN_PERSON, MeetingMode.VIDEO), (60, 90), ["job_search"],
     "Workshop on CVs and cover letters, with peer review in pairs.",
     "Exchange revised CVs within the group before the next session."),
    ((MeetingMode.VIDEO,), (60,), ["internship", "job_search"],
     "Each student presented the employers they researched; the group compared notes.",
     "Contact one alumnus in the chosen industry."),
    ((MeetingMode.IN_PERSON,), (90, 120), ["internship"],
     "Mock group interview and feedback on how each student came across.",
     "Write down one strength and one habit to work on."),
]  # fmt: skip
DISPUTE = "I was not at this meeting; I had an exam that afternoon."
DISPUTES_PER_CYCLE = 1


def cycle_random(cycle):
    """The cycle's generator: the same choices on every database and run."""
    return random.Random(f"demo-background:{cycle.program.name}:{cycle.starts_on}")


def background_seeded(cycle):
    summaries = [row[3] for row in (*PAIR_MEETINGS, *GROUP_MEETINGS)]
    return Meeting.objects.filter(cycle=cycle, summary__in=summaries).exists()


def meeting_days(rng, *, span, since):
    """Days before now of one series of meetings, oldest first: the latest
    ``since`` days ago, then back every three to five weeks while inside the
    ``span`` days since kick-off."""
    days, day = [], since
    while day < span - 2:
        days.append(day)
        day += rng.randint(21, 35)
    return days[::-1]


class BackgroundMeetings:
    """The planned meetings of one cycle: (author, group, days ago, template,
    [(student, status)], latest of its series)."""

    def __init__(self, cycle, now):
        self.cycle, self.now = cycle, now
        self.rng = cycle_random(cycle)
        self.ago = clock(cycle, now)
        self.span = (now - (kicked_off_at(cycle) or now)).days
        self.window = cycle.program.at_risk_after_days
        self.planned = []

    def since(self, newest):
        """Days ago of a series' latest meeting: three to five weeks before a
        curated one (background fills in the history before it), else recent."""
        if newest is None:
            return self.rng.randint(2, 20)
        return (self.now - newest).days + self.rng.randint(21, 35)

    def pairs(self):
        """A series per published pair of the cycle but the demo mentor's,
        whose story is curated."""
        met = MeetingParticipant.objects.filter(
            meeting__cycle=self.cycle,
            meeting__author=OuterRef("engagement__mentor"),
            student=OuterRef("enrollment__student"),
        ).order_by("-meeting__starts_at")
        matches = list(
            published_matches()
            .filter(engagement__cycle=self.cycle)
            .exclude(engagement__mentor__user__email=MENTOR)
            .annotate(newest=Subquery(met.values("meeting__starts_at")[:1]))
            .select_related("engagement__mentor", "enrollment__student")
            .order_by("engagement__mentor__user__email", "enrollment__student__user__email")
        )
        unmet = [i for i, match in enumerate(matches) if match.newest is None]
        quiet = set(self.rng.sample(unmet, round(QUIET_SHARE * len(matches))))
        for i, match in enumerate(matches):
            mentor, student = match.engagement.mentor, match.enrollment.student
            since = (
                self.window + self.rng.randint(8, 20) if i in quiet else self.since(match.newest)
            )
            days = meeting_days(self.rng, span=self.span, since=since)
            offset = self.rng.randrange(len(PAIR_MEETINGS) - 1)
            for n, day in enumerate(days):
                latest = n == len(days) - 1 and match.newest is None
                # The newest may still wait for the student, if the one
                # before keeps them out of the at-risk window.
                waits = latest and day <= 7 and n and days[n - 1] < self.window - 1
                status = PENDING if waits and self.rng.random() < 0.3 else CONFIRMED
                template = PAIR_MEETINGS[
                    0 if n == 0 else 1 + (offset + n) % (len(PAIR_MEETINGS) - 1)
                ]
                self.planned.append((mentor, None, day, template, [(student, status)], latest))
            # Some who went quiet have a meeting logged they never answered.
            if i in quiet and self.rng.random() < 0.5:
                day = self.rng.randint(3, 9)
                self.planned.append(
                    (mentor, None, day, PAIR_MEETINGS[3], [(student, PENDING)], True)
                )

    def groups(self):
        """A series per group of the cycle, its leaders taking turns."""
        groups = (
            self.cycle.groups.annotate(newest=Max("meetings__starts_at"))
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=GroupMembership.objects.select_related("mentor", "student").order_by(
                        "mentor__user__email", "student__user__email"
                    ),
                )
            )
            .order_by("name")
        )
        for group in groups:
            members = [m for m in group.memberships.all() if m.published_at is not None]
            leaders = [m.mentor for m in members if m.role in LEADER_ROLES]
            students = [m.student for m in members if m.role == GroupRole.STUDENT]
            if not leaders or not students:
                continue
            days = meeting_days(self.rng, span=self.span, since=self.since(group.newest))
            for n, day in enumerate(days):
                latest = n == len(days) - 1 and group.newest is None
                present = [s for s in students if self.rng.random() < 0.85] or students[:1]
                answers = [
                    (s, PENDING if latest and day <= 7 and self.rng.random() < 0.4 else CONFIRMED)
                    for s in present
                ]
                template = GROUP_MEETINGS[n % len(GROUP_MEETINGS)]
                self.planned.append(
                    (leaders[n % len(leaders)], group, day, template, answers, latest)
                )

    def dispute(self):
        """A student says a meeting did not happen so: one from before the
        at-risk window, so whether they are at risk stays as planned."""
        older = [
            answers
            for _, _, day, _, answers, latest in self.planned
            if not latest and day > self.window
        ]
        for answers in self.rng.sample(older, min(DISPUTES_PER_CYCLE, len(older))):
            answers[0] = (answers[0][0], DISPUTED)

    def write(self):
        """The planned meetings as rows, in three statements plus one per answer awaited."""
        meetings = Meeting.objects.bulk_create(
            Meeting(
                cycle=self.cycle,
                author=author,
                group=group,
                starts_at=self.ago(day, self.rng.choice([10, 14, 16, 19])),
                duration_minutes=self.rng.choice(durations),
                mode=self.rng.choice(modes),
                topics=topics,
                summary=summary,
                next_steps=steps,
            )
            for author, group, day, (modes, durations, topics, summary, steps), *_ in self.planned
        )
        logged = Least(F("starts_at") + datetime.timedelta(hours=2), Value(self.now))
        Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(
            created_at=logged, updated_at=logged
        )
        participants = MeetingParticipant.objects.bulk_create(
            MeetingParticipant(
                meeting=meeting,
                student=student,
                status=status,
                comment=DISPUTE if status == DISPUTED else "",
                answered_at=None
                if status == PENDING
                else min(meeting.starts_at + datetime.timedelta(days=1), self.now),
            )
            for meeting, (*_, answers, _latest) in zip(meetings, self.planned, strict=True)
            for student, status in answers
        )
        for participant in participants:
            if participant.status == PENDING:
                record_meeting_to_confirm(participant, now=participant.meeting.starts_at)
        return Counter({Meeting: len(meetings), MeetingParticipant: len(participants)})


def invitees(activity):
    """Who ``activity`` invites (sessions_app.activity_access) but its organiser,
    by e-mail: people invited on their own and the published members of the
    invited groups and of the organising group."""
    groups = [i.group for i in activity.invitations.all() if i.group_id]
    if activity.group_id:
        groups.append(activity.group)
    people = {i.user for i in activity.invitations.all() if i.user_id}
    for group in groups:
        for m in group.memberships.all():
            if m.published_at is not None:
                people.add(m.student.user if m.student_id else m.mentor.user)
    return sorted((p for p in people if p.pk != activity.created_by_id), key=lambda p: p.email)


def answer_activities(cycle, now, rng):
    """Registrations of the invitees who had not answered: most say yes (the
    waiting list once full), present at most past activities, some rating them."""
    activities = cycle.activities.prefetch_related(
        "registrations",
        "invitations__user",
        "invitations__group__memberships__student__user",
        "invitations__group__memberships__mentor__user",
        "group__memberships__student__user",
        "group__memberships__mentor__user",
    ).order_by("starts_at", "pk")
    rows = []
    for activity in activities:
        answered = {r.user_id for r in activity.registrations.all()}
        going = sum(r.status == RegistrationStatus.GOING for r in activity.registrations.all())
        position = max((r.position or 0 for r in activity.registrations.all()), default=0)
        past = activity.ends_at <= now
        for user in invitees(activity):
            roll = rng.random()
            if user.pk in answered or roll < 0.15:
                continue
            row = Registration(activity=activity, user=user, status=RegistrationStatus.DECLINED)
            rows.append(row)
            if roll < 0.25:
                continue
            if activity.capacity is None or going < activity.capacity:
                row.status, going = RegistrationStatus.GOING, going + 1
            else:
                position += 1
                row.status, row.position = RegistrationStatus.WAITLISTED, position
            if past and row.status == RegistrationStatus.GOING:
                attended = rng.random()
                row.attendance = (
                    Attendance.PRESENT
                    if attended < 0.82
                    else Attendance.EXCUSED
                    if attended < 0.92
                    else Attendance.ABSENT
                )
                row.attendance_by_id, row.attendance_at = activity.created_by_id, activity.ends_at
                if row.attendance == Attendance.PRESENT and rng.random() < 0.5:
                    row.rating = rng.choice([3, 4, 4, 4, 5, 5])
                    row.rated_at = min(activity.ends_at + datetime.timedelta(hours=5), now)
    Registration.objects.bulk_create(rows)
    return Counter({Registration: len(rows)})


def seed_background_sessions(*, plan, now):
    """Background meetings and activity answers; see the module docstring."""
    created = Counter()
    for name in (ALUMNI, COACHING):
        cycle = current_cycle(name)
        if cycle is None or background_seeded(cycle):
            continue
        background = BackgroundMeetings(cycle, now)
        if name == ALUMNI:
            background.pairs()
        else:
            background.groups()
        background.dispute()
        created.update(background.write())
        created.update(answer_activities(cycle, now, background.rng))
    return created
