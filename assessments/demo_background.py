"""Background deliverables and competence for everyone outside the curated
demo stories (assessments.demo), so the running cycles' dashboards show a
program year: most internship reports in (a few late, most reviewed, some
returned and resubmitted), about one in twelve missing, career plans under
way, start-of-cycle self-assessments.

Only the two demo programs' running cycles get it. The students who went
quiet in the background meetings (sessions_app.demo_background) are most of
those who miss the report. Students the demo mentor reviews as a group coach
are left nothing waiting for review, so his home shows only his own story.
The alumni program keeps only the demo student's self-assessment: its pages
show competence as still to do for everyone else. Choices come from a
random generator seeded per cycle; a cycle whose background versions exist
is left alone, so a second run creates nothing.
"""

import datetime
import random
from collections import Counter

from mentorship.demo.catalogue import ALUMNI, COACHING
from mentorship.demo.extensions import clock, current_cycle, kicked_off_at
from mentorship.demo.plan import MENTOR
from mentorship.models import LEADER_ROLES, GroupMembership, GroupRole, User
from mentorship.publishing import published_matches
from sessions_app.models import MeetingParticipant, ParticipantStatus

from .models import (
    Draft,
    MentorRating,
    Moment,
    Rating,
    Review,
    ReviewDecision,
    SelfAssessment,
    Submission,
)
from .permissions import reviewable_enrollments

MISSING_SHARE = 0.08  # of coaching students: no internship report
# (organisation, role, responsibilities, what was learned)
INTERNSHIPS = [
    ("Chongqing Rural Commercial Bank", "Credit analyst intern",
     "Collected financial statements of SME borrowers and drafted credit memos.",
     "How a loan decision is argued, and why cash flow matters more than profit."),
    ("Shancheng Audit & Advisory", "Audit intern",
     "Inventory counts, expense vouching, and tidying working papers for the seniors.",
     "Audit work is mostly careful documentation; deadlines shape everything."),
    ("Three Gorges Securities", "Research assistant",
     "Updated industry databases and wrote first drafts of company notes.",
     "How analysts build a view from public data, and how to write it briefly."),
    ("Huaxin Technology", "Operations intern",
     "Tracked supplier deliveries and prepared weekly dashboards for the plant manager.",
     "Small process changes save more than big projects; data must be clean first."),
    ("Yuzhou Marketing Group", "Marketing intern",
     "Social media calendar, competitor scans and a customer survey for a new product.",
     "Why a clear target customer matters; how to read survey results critically."),
    ("Jiangbei District Government Office", "Policy research intern",
     "Summarised local statistics and took notes at planning meetings.",
     "How public budgets are prepared and who has a say in them."),
]  # fmt: skip
RETURN_COMMENTS = [
    "Please say more about what you learned and how it changes your plans.",
    "The responsibilities read like a job advertisement: describe what you did yourself.",
    "Attach or describe the employer's evaluation, and give the exact dates.",
]
PLAN_PARTS = {
    "self_awareness__strengths": [
        "Organised and reliable; good at explaining things to others.",
        "Curious, quick to learn new tools; comfortable with numbers.",
        "Calm under pressure; I listen before I decide.",
    ],
    "self_awareness__values": [
        "Learning, fairness, and a team I can trust.",
        "Stability and the chance to grow into responsibility.",
    ],
    "self_awareness__interests": [
        "Data, markets and how companies make decisions.",
        "People, communication and brands.",
        "Public policy and the local economy.",
    ],
    "career_exploration__targets": [
        "Analyst roles in banks or securities firms.",
        "Marketing or product roles in technology companies.",
        "Management trainee programs in large local employers.",
    ],
    "decision_making__goals": [
        "An internship in my target field before graduation.",
        "A graduate job offer by next spring.",
    ],
}


def cycle_random(cycle):
    return random.Random(f"demo-background-deliverables:{cycle.program.name}:{cycle.starts_on}")


def background_students(cycle):
    """``[(enrollment, reviewers)]`` by e-mail: alumni, each published mentee
    but the demo mentor's, with their mentor; coaching, each group's
    published students with its coaches but the demo mentor, leaders first."""
    if cycle.program.name == ALUMNI:
        matches = (
            published_matches()
            .filter(engagement__cycle=cycle)
            .exclude(engagement__mentor__user__email=MENTOR)
            .select_related("engagement__mentor", "enrollment__student__user")
        )
        rows = [(m.enrollment, [m.engagement.mentor]) for m in matches]
    else:
        enrollments = {
            e.student_id: e for e in cycle.enrollments.select_related("student__user", "cycle")
        }
        coaches, members = {}, []
        for m in (
            GroupMembership.objects.filter(group__cycle=cycle, published_at__isnull=False)
            .select_related("mentor__user")
            .order_by("mentor__user__email")
        ):
            if m.role == GroupRole.STUDENT:
                members.append((m.group_id, m.student_id))
            elif m.mentor.user.email != MENTOR:
                coaches.setdefault(m.group_id, []).append((m.role not in LEADER_ROLES, m.mentor))
        rows = [
            (enrollments[student], [c for _, c in sorted(coaches[group], key=lambda c: c[0])])
            for group, student in members
            if student in enrollments and group in coaches
        ]
    return sorted(rows, key=lambda row: row[0].student.user.email)


class BackgroundDeliverables:
    def __init__(self, cycle, now):
        self.cycle, self.now = cycle, now
        self.rng = cycle_random(cycle)
        self.ago = clock(cycle, now)
        self.required = {r.kind.code: r for r in cycle.requirements.select_related("kind")}
        self.students = background_students(cycle)
        demo_mentor = User.objects.get(email=MENTOR)
        self.demo_reviewed = set(
            reviewable_enrollments(demo_mentor).filter(cycle=cycle).values_list("pk", flat=True)
        )
        self.versions, self.reviews, self.drafts = [], [], []

    def seeded(self):
        enrollments = [e for e, _ in self.students]
        return Submission.objects.filter(
            requirement__cycle=self.cycle, enrollment__in=enrollments
        ).exists()

    def missing(self):
        """``(who hands in no internship report, who hands it in late for
        sure)``: in mentor programs, once silence can put a student at risk,
        those without a recent confirmed meeting but one, who is late; else
        a random few."""
        window = datetime.timedelta(days=self.cycle.program.at_risk_after_days)
        started = kicked_off_at(self.cycle) or self.now
        if self.cycle.program.name != ALUMNI or self.now - started <= window:
            count = round(MISSING_SHARE * len(self.students))
            return {e.pk for e, _ in self.rng.sample(self.students, count)}, set()
        recent = set(
            MeetingParticipant.objects.filter(
                meeting__cycle=self.cycle,
                status=ParticipantStatus.CONFIRMED,
                meeting__starts_at__gte=self.now - window,
            ).values_list("student", flat=True)
        )
        quiet = [e.pk for e, _ in self.students if e.student_id not in recent]
        return set(quiet[1:]), set(quiet[:1])

    def version(self, requirement, enrollment, number, content, at):
        submission = Submission(
            requirement=requirement,
            enrollment=enrollment,
            number=number,
            content=content,
            submitted_at=at,
            late=requirement.is_late(at),
        )
        self.versions.append(submission)
        return submission

    def review(self, submission, reviewer, decision, *, always):
        """Review ``submission`` a few days later, if that moment has come
        (``always``: then at the latest now)."""
        at = submission.submitted_at + datetime.timedelta(hours=self.rng.randint(20, 140))
        if at > self.now - datetime.timedelta(hours=1):
            if not always:
                return None
            at = max(submission.submitted_at, self.now - datetime.timedelta(hours=1))
        accepted = decision == ReviewDecision.ACCEPTED
        review = Review(
            submission=submission,
            reviewer=reviewer,
            decision=decision,
            comment="" if accepted else self.rng.choice(RETURN_COMMENTS),
            grade=self.rng.randint(70, 95) if accepted and self.rng.random() < 0.7 else None,
            created_at=at,
        )
        self.reviews.append(review)
        return review

    def report(self, enrollment, reviewers, *, late):
        requirement = self.required["internship_report"]
        organisation, role, responsibilities, learned = self.rng.choice(INTERNSHIPS)
        start = requirement.due_at.date() - datetime.timedelta(days=self.rng.randint(120, 170))
        content = {
            "organisation": organisation,
            "role": role,
            "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(weeks=self.rng.randint(4, 10))).isoformat(),
            "responsibilities": responsibilities,
            "learned": learned,
        }
        overdue = (self.now - requirement.due_at).total_seconds() / 86400
        days = overdue - self.rng.uniform(0.3, 7) if late else overdue + self.rng.uniform(0.2, 18)
        first = self.version(requirement, enrollment, 1, content, self.ago(max(days, 0.1)))
        always = enrollment.pk in self.demo_reviewed
        if not always and self.rng.random() < 0.12:
            return  # not reviewed yet
        reviewer = self.rng.choice(reviewers)
        returned = self.rng.random() < 0.12
        decision = ReviewDecision.RETURNED if returned else ReviewDecision.ACCEPTED
        review = self.review(first, reviewer, decision, always=always)
        if not returned or review is None:
            return
        at = review.created_at + datetime.timedelta(hours=self.rng.randint(24, 96))
        if at < self.now - datetime.timedelta(hours=2):
            revised = content | {"learned": f"{learned} It changed which roles I apply for."}
            second = self.version(requirement, enrollment, 2, revised, at)
            self.review(second, reviewer, ReviewDecision.ACCEPTED, always=always)

    def career_plan(self, enrollment):
        """A draft for some, an early version for a few (none waiting for the demo mentor)."""
        requirement = self.required["career_plan"]
        roll = self.rng.random()
        content = {key: self.rng.choice(options) for key, options in PLAN_PARTS.items()}
        if roll < 0.07 and enrollment.pk not in self.demo_reviewed:
            self.version(requirement, enrollment, 1, content, self.ago(self.rng.randint(1, 10), 21))
        elif roll < 0.4:
            keys = list(content)[: self.rng.randint(1, len(content))]
            self.drafts.append(
                Draft(
                    requirement=requirement,
                    enrollment=enrollment,
                    content={k: content[k] for k in keys},
                )
            )

    def run(self):
        """Every version, review and draft, in one statement per model."""
        missing, late = self.missing()
        for enrollment, reviewers in self.students:
            if enrollment.pk not in missing:
                late_for_sure = enrollment.pk in late
                self.report(enrollment, reviewers, late=late_for_sure or self.rng.random() < 0.07)
            self.career_plan(enrollment)
        Submission.objects.bulk_create(self.versions)
        Review.objects.bulk_create(self.reviews)
        Draft.objects.bulk_create(self.drafts)
        return Counter(
            {Submission: len(self.versions), Review: len(self.reviews), Draft: len(self.drafts)}
        )


def self_assessments(cycle, students, now, rng):
    """Start-of-cycle self-assessments for most ``students`` (levels 1 to 4),
    and a coach's rating of some of them: one statement per model."""
    dimensions = list(cycle.program.competencedimension_set.order_by("position"))
    ago = clock(cycle, now)
    span = (now - (kicked_off_at(cycle) or now)).days
    done = []
    for enrollment, coaches in students:
        if rng.random() < 0.85:
            submitted = ago(span - rng.randint(3, 21), rng.choice([12, 20, 22]))
            assessment = SelfAssessment(
                enrollment=enrollment, moment=Moment.START, submitted_at=submitted
            )
            done.append(
                (assessment, coaches[0], [rng.choice([1, 2, 2, 3, 3, 3, 4]) for _ in dimensions])
            )
    SelfAssessment.objects.bulk_create(a for a, _, _ in done)
    ratings = Rating.objects.bulk_create(
        Rating(self_assessment=a, dimension=d, level=level)
        for a, _, levels in done
        for d, level in zip(dimensions, levels, strict=True)
    )
    rated = MentorRating.objects.bulk_create(
        MentorRating(
            enrollment=a.enrollment,
            dimension=d,
            moment=Moment.START,
            level=min(max(level + rng.choice([-1, 0, 0, 1]), 1), 4),
            by=coach,
        )
        for a, coach, levels in done
        if rng.random() < 0.35
        for d, level in zip(dimensions, levels, strict=True)
    )
    return Counter({SelfAssessment: len(done), Rating: len(ratings), MentorRating: len(rated)})


def seed_background_assessments(*, plan, now):
    """Background deliverables and competence; see the module docstring."""
    created = Counter()
    for name in (ALUMNI, COACHING):
        cycle = current_cycle(name)
        if cycle is None:
            continue
        background = BackgroundDeliverables(cycle, now)
        if (
            not {"career_plan", "internship_report"} <= set(background.required)
            or background.seeded()
        ):
            continue
        created.update(background.run())
        # Background students only: the demo mentor's other mentees keep it to do.
        created.update(self_assessments(cycle, background.students, now, background.rng))
    return created
