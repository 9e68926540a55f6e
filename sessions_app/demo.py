"""Demo meetings and activities for the running cycles of both demo programs.

Rows are written directly, with the rules the services apply (participants
are the mentor's published mentees or group students, answers carry their
time, a dispute its comment, the waiting list its positions), so that seeding
sends no e-mail and history can be dated in the past. Each meeting is known
by its author and summary and each activity by its title: a second run finds
them and creates nothing.
"""

import datetime
from collections import Counter

from django.utils import timezone

from mentorship.demo.catalogue import ALUMNI, COACHING
from mentorship.demo.extensions import clock, current_cycle, mentee_enrollments
from mentorship.demo.plan import MENTOR
from mentorship.models import GroupMembership, GroupRole, User

from .meeting_mails import record_meeting_to_confirm
from .models import (
    Activity,
    ActivityInvitation,
    ActivityKind,
    Attendance,
    Meeting,
    MeetingMode,
    MeetingParticipant,
    ParticipantStatus,
    Registration,
    RegistrationStatus,
)

CONFIRMED, PENDING, DISPUTED = (
    ParticipantStatus.CONFIRMED,
    ParticipantStatus.PENDING,
    ParticipantStatus.DISPUTED,
)

# (days ago, hour, minutes, mode, topics, mentee indexes, status, summary, next steps).
# Mentee 0 is the demo student; the last mentee has no confirmed meeting, so
# the mentor's home marks them at risk once the cycle is older than the
# program's at_risk_after_days.
MENTOR_MEETINGS = [
    (
        40, 15, 60, MeetingMode.IN_PERSON, ["career_planning"], [0], CONFIRMED,
        "First meeting after kick-off: strengths, interests and what a finance career "
        "looks like from the inside.",
        "Draft a first career plan; list three employers to learn about.",
    ),
    (
        20, 19, 45, MeetingMode.VIDEO, ["internship", "job_search"], [0, 1], CONFIRMED,
        "Summer internships in securities and audit: timelines, what recruiters look "
        "for, how to write a one-page CV.",
        "Send CVs for review by Friday.",
    ),
    (
        12, 12, 30, MeetingMode.PHONE, ["thesis", "further_study"], [2], CONFIRMED,
        "Thesis topic on SME financing; pros and cons of a master's abroad.",
        "Read two papers on credit constraints; shortlist three programs.",
    ),
    (
        8, 20, 60, MeetingMode.PHONE, ["other"], [1], DISPUTED,
        "Long call on time management and exam preparation.",
        "",
    ),
    (
        5, 21, 20, MeetingMode.MESSAGE, ["job_search"], [3], CONFIRMED,
        "Exchanged messages about an offer from a regional bank and how to negotiate.",
        "Ask HR about the rotation program before answering.",
    ),
    (
        2, 18, 50, MeetingMode.VIDEO, ["internship"], [0], PENDING,
        "Prepared the interview for the Three Gorges Securities summer internship: "
        "valuation questions and a mock behavioural interview.",
        "Practise the DCF walk-through; send me the questions you were asked.",
    ),
]  # fmt: skip
COACHING_GROUP = "Financial Services Industry Group"
DISPUTE = "We spoke for about fifteen minutes, not an hour, and only about my exam timetable."


def coaching_chief(cycle):
    """The chief's membership of the coaching group the demo mentor coaches in, or None."""
    return (
        GroupMembership.objects.filter(
            group__cycle=cycle, group__name=COACHING_GROUP, role=GroupRole.CHIEF
        )
        .select_related("group", "mentor__user")
        .first()
    )


class MeetingSeeder:
    def __init__(self, now):
        self.now = now
        self.created = Counter()
        self.cycle = current_cycle(ALUMNI)
        self.ago = clock(self.cycle, now)

    def run(self):
        mentees = mentee_enrollments(self.cycle, MENTOR)
        mentor = User.objects.get(email=MENTOR).mentor_profile
        for days, hour, minutes, mode, topics, who, status, summary, steps in MENTOR_MEETINGS:
            students = [mentees[i].student for i in who if i < len(mentees) - 1]
            self.meeting(
                cycle=self.cycle,
                author=mentor,
                starts_at=self.ago(days, hour),
                duration_minutes=minutes,
                mode=mode,
                topics=topics,
                summary=summary,
                next_steps=steps,
                answers=[(s, status) for s in students],
            )
        self.other_mentors()
        self.coaching_group_meeting()
        return self.created

    def meeting(self, *, answers, group=None, **record):
        cycle, author, summary = record["cycle"], record["author"], record["summary"]
        if Meeting.objects.filter(cycle=cycle, author=author, summary=summary).exists():
            return
        meeting = Meeting.objects.create(group=group, **record)
        logged = min(meeting.starts_at + datetime.timedelta(hours=2), self.now)
        Meeting.objects.filter(pk=meeting.pk).update(created_at=logged, updated_at=logged)
        answered = min(meeting.starts_at + datetime.timedelta(days=1), self.now)
        participants = MeetingParticipant.objects.bulk_create(
            MeetingParticipant(
                meeting=meeting,
                student=student,
                status=status,
                comment=DISPUTE if status == DISPUTED else "",
                answered_at=None if status == PENDING else answered,
            )
            for student, status in answers
        )
        for participant in participants:
            if participant.status == PENDING:
                record_meeting_to_confirm(participant, now=logged)
        self.created[Meeting] += 1
        self.created[MeetingParticipant] += len(answers)

    def other_mentors(self):
        """One confirmed meeting for the first mentee of three other mentors,
        so the office's list shows more than the demo mentor's."""
        others = (
            User.objects.filter(mentor_profile__engagements__cycle=self.cycle)
            .exclude(email=MENTOR)
            .order_by("email")[:3]
        )
        for position, user in enumerate(others):
            mentees = mentee_enrollments(self.cycle, user.email)
            if not mentees:
                continue
            self.meeting(
                cycle=self.cycle,
                author=user.mentor_profile,
                starts_at=self.ago(15 + 6 * position, 16),
                duration_minutes=45,
                mode=[MeetingMode.IN_PERSON, MeetingMode.VIDEO, MeetingMode.PHONE][position],
                topics=["career_planning", "internship"],
                summary="Reviewed the career plan draft and internship options for spring.",
                next_steps="Apply to two internships before the winter break.",
                answers=[(mentees[0].student, CONFIRMED)],
            )

    def coaching_group_meeting(self):
        cycle = current_cycle(COACHING)
        chief = coaching_chief(cycle)
        if chief is None:
            return
        students = [
            m.student
            for m in chief.group.memberships.filter(
                role=GroupRole.STUDENT, published_at__isnull=False
            )
            .select_related("student")
            .order_by("student__user__full_name")[:4]
        ]
        self.meeting(
            cycle=cycle,
            author=chief.mentor,
            group=chief.group,
            starts_at=clock(cycle, self.now)(9, 14),
            duration_minutes=90,
            mode=MeetingMode.IN_PERSON,
            topics=["job_search", "career_planning"],
            summary="Group workshop: how banks, insurers and asset managers recruit "
            "graduates, and which skills each values.",
            next_steps="Each student picks two employers and researches their graduate programs.",
            answers=[(s, CONFIRMED if i else PENDING) for i, s in enumerate(students)],
        )


class ActivitySeeder:
    def __init__(self, now):
        self.now = now
        self.created = Counter()

    def activity(self, *, cycle, title, invite=(), people=(), guests=(), **fields):
        """The activity ``title`` of ``cycle`` with its invitations, or None if it exists."""
        if Activity.objects.filter(cycle=cycle, title=title).exists():
            return None
        activity = Activity.objects.create(cycle=cycle, title=title, **fields)
        if guests:
            activity.guests.set(guests)
        invitations = [ActivityInvitation(activity=activity, group=g) for g in invite]
        invitations += [ActivityInvitation(activity=activity, user=u) for u in people]
        ActivityInvitation.objects.bulk_create(invitations)
        self.created[Activity] += 1
        self.created[ActivityInvitation] += len(invitations)
        return activity

    def register(self, activity, rows):
        """``rows``: (user, status, attendance, rating, comment); waiting in order given."""
        registrations, position = [], 0
        for user, status, attendance, rating, comment in rows:
            waiting = status == RegistrationStatus.WAITLISTED
            position += waiting
            marked = bool(attendance)
            registrations.append(
                Registration(
                    activity=activity,
                    user=user,
                    status=status,
                    position=position if waiting else None,
                    attendance=attendance,
                    attendance_by=activity.created_by if marked else None,
                    attendance_at=activity.ends_at if marked else None,
                    rating=rating,
                    comment=comment,
                    rated_at=activity.ends_at + datetime.timedelta(hours=2) if rating else None,
                )
            )
        Registration.objects.bulk_create(registrations)
        self.created[Registration] += len(registrations)

    def run(self):
        self.alumni()
        self.coaching()
        return self.created

    def alumni(self):
        cycle = current_cycle(ALUMNI)
        mentor = User.objects.get(email=MENTOR)
        team = cycle.groups.filter(memberships__mentor__user=mentor).first()
        mentees = [e.student.user for e in mentee_enrollments(cycle, MENTOR)]
        others = [
            m.student.user
            for m in team.memberships.filter(role=GroupRole.STUDENT)
            .exclude(student__user__in=mentees)
            .select_related("student__user")
            .order_by("student__user__full_name")
        ]
        going, waiting = RegistrationStatus.GOING, RegistrationStatus.WAITLISTED
        today = timezone.localtime(self.now)
        base = dict(cycle=cycle, group=team, created_by=mentor, invite=[team])
        salon_day = (today + datetime.timedelta(days=6)).replace(
            hour=19, minute=0, second=0, microsecond=0
        )
        salon = self.activity(
            title="Exchange salon: a career in investment banking",
            kind=ActivityKind.EXCHANGE_SALON,
            starts_at=salon_day,
            ends_at=salon_day + datetime.timedelta(hours=2),
            place="Alumni Hall, room 204",
            capacity=2,
            description="An evening with alumni bankers: small table, questions welcome.",
            guests=list(cycle.program.guests.order_by("name")[:1]),
            **base,
        )
        if salon:
            self.register(
                salon,
                [
                    (mentees[0], going, "", None, ""),
                    (others[0], going, "", None, ""),
                    (mentees[1], waiting, "", None, ""),
                ],
            )
        # Starts within the hour: attendance opens an hour before the start and
        # stays open, so the organiser can try the attendance page at once.
        soon = (self.now + datetime.timedelta(minutes=45)).replace(second=0, microsecond=0)
        soon -= datetime.timedelta(minutes=soon.minute % 15)
        workshop = self.activity(
            title="Financial modelling workshop",
            kind=ActivityKind.TRAINING,
            starts_at=soon,
            ends_at=soon + datetime.timedelta(hours=3),
            place="Library training room 3",
            description="Hands-on three-statement model; bring a laptop with a spreadsheet.",
            **base,
        )
        if workshop:
            self.register(workshop, [(u, going, "", None, "") for u in [*mentees[:3], *others[:1]]])
        visit_day = clock(cycle, self.now)(14, 9)
        visit = self.activity(
            title="Company visit: Jialing Capital Partners",
            kind=ActivityKind.COMPANY_VISIT,
            starts_at=visit_day,
            ends_at=min(visit_day + datetime.timedelta(hours=3), self.now),
            place="Jialing Capital Partners, Jiefangbei office",
            description="Trading floor tour and a talk with the risk team.",
            **base,
        )
        if visit:
            present, excused, absent = Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT
            rows = [(mentees[0], going, present, None, "")]
            rows += [
                (mentees[1], going, present, 5, "Seeing the risk desk at work was eye-opening.")
            ]
            rows += [(mentees[2], going, excused, None, ""), (others[0], going, absent, None, "")]
            self.register(visit, rows)

    def coaching(self):
        cycle = current_cycle(COACHING)
        chief = coaching_chief(cycle)
        if chief is None:
            return
        extra = (
            User.objects.filter(
                student_profile__group_memberships__group__cycle=cycle,
                student_profile__group_memberships__published_at__isnull=False,
            )
            .exclude(student_profile__group_memberships__group=chief.group)
            .order_by("email")
            .first()
        )
        day = (timezone.localtime(self.now) + datetime.timedelta(days=9)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        session = self.activity(
            cycle=cycle,
            group=chief.group,
            created_by=chief.mentor.user,
            invite=[chief.group],
            people=[extra] if extra else [],
            title="Action Session: mock assessment centre",
            kind=ActivityKind.ACTION_SESSION,
            starts_at=day,
            ends_at=day + datetime.timedelta(hours=3),
            place="Career Development Center, hall B",
            capacity=25,
            description="Group exercise, case interview and feedback from practitioners.",
            guests=list(cycle.program.guests.order_by("name")[:1]),
        )
        if session and extra:
            self.register(session, [(extra, RegistrationStatus.GOING, "", None, "")])


def seed_sessions(*, plan, now):
    """Meetings and activities of the running cycles; see the module docstring."""
    if current_cycle(ALUMNI) is None or current_cycle(COACHING) is None:
        return Counter()
    created = MeetingSeeder(now).run()
    created.update(ActivitySeeder(now).run())
    return created
