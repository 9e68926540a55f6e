"""Demo deliverables and competence ratings for the running cycles.

Requirements for both programs' running cycles; for the demo mentor's
mentees a career plan returned and resubmitted (waiting for his review), an
internship report accepted with a grade and a PDF, a late report and a draft;
the demo student's start self-assessment with her mentor's rating. Versions
and reviews are records written once: each is created only when missing.
"""

import datetime
from collections import Counter

from django.core.files.base import ContentFile
from django.utils import timezone

from mentorship.demo.catalogue import ALUMNI, COACHING
from mentorship.demo.extensions import clock, current_cycle, mentee_enrollments
from mentorship.demo.plan import MENTOR
from mentorship.models import MentorProfile

from .models import (
    Draft,
    MentorRating,
    Moment,
    Rating,
    Requirement,
    Review,
    ReviewDecision,
    SelfAssessment,
    Submission,
)
from .services import notify_decision

# kind code -> (due: days from now, negative in the past; instructions)
REQUIREMENTS = {
    "career_plan": (
        14,
        "Answer each question in a few sentences; your mentor reviews it with you.",
    ),
    "internship_report": (
        -10,
        "Report on an internship of this cycle or the summer before; attach the "
        "employer's evaluation as a PDF if you have one.",
    ),
    "communication_record": (
        None,
        "Compiled from your confirmed meetings; add a reflection on what changed for you.",
    ),
}

PLAN_V1 = {
    "self_awareness__strengths": "Good with numbers, patient with detail.",
    "self_awareness__values": "Stability and learning.",
    "self_awareness__interests": "Markets, accounting.",
    "career_exploration__targets": "Banks or audit firms.",
    "career_exploration__people": "Nobody yet.",
    "decision_making__goals": "Find an internship.",
    "decision_making__milestones": "CV, applications.",
    "decision_making__timeline": "This year.",
}
PLAN_V2 = {
    "self_awareness__strengths": (
        "Careful with numbers and detail; I explain calculations clearly to classmates."
    ),
    "self_awareness__values": "Steady growth, integrity, and work that helps small businesses.",
    "self_awareness__interests": "Corporate finance, SME lending, financial reporting.",
    "career_exploration__targets": (
        "Investment banking analyst (securities firms), audit associate (Big Four and "
        "local firms), credit analyst in a city commercial bank."
    ),
    "career_exploration__people": (
        "My mentor; two alumni at Three Gorges Securities; an audit senior met at the "
        "exchange salon."
    ),
    "decision_making__goals": (
        "A summer internship in investment banking; CPA papers by graduation."
    ),
    "decision_making__milestones": (
        "CV reviewed (December); three applications (January); first CPA paper (June)."
    ),
    "decision_making__timeline": "Internship next summer, graduate job search from September.",
    "free_text": "Revised after my mentor's comments: concrete targets and dates.",
}
RETURN_COMMENT = (
    "A good start, but too general. Name the roles and firms you are aiming at, the "
    "people you will talk to, and put dates on your milestones."
)
REPORT = {
    "organisation": "Shancheng Audit & Advisory",
    "role": "Audit intern",
    "responsibilities": "Vouching revenue samples, bank confirmations, drafting working papers.",
    "learned": "How an audit is planned, and how to document evidence so a reviewer can follow.",
}


def minimal_pdf(text):
    """A one-page PDF showing ``text``: valid for readers and for the upload check."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


class DeliverableSeeder:
    def __init__(self, now):
        self.now = now
        self.created = Counter()

    def requirements(self, cycle):
        kinds = {k.code: k for k in cycle.program.deliverablekind_set.all()}
        have = set(cycle.requirements.values_list("kind__code", flat=True))
        end = datetime.datetime.combine(
            cycle.ends_on - datetime.timedelta(days=60),
            datetime.time(18),
            tzinfo=timezone.get_current_timezone(),
        )
        rows = []
        for code, (days, instructions) in REQUIREMENTS.items():
            if code in have or code not in kinds:
                continue
            if days is None:
                due = max(end, self.now + datetime.timedelta(days=30))
            elif days < 0:
                due = clock(cycle, self.now)(-days, 18)
            else:
                day = timezone.localtime(self.now) + datetime.timedelta(days=days)
                due = day.replace(hour=18, minute=0, second=0, microsecond=0)
            rows.append(
                Requirement(cycle=cycle, kind=kinds[code], due_at=due, instructions=instructions)
            )
        Requirement.objects.bulk_create(rows)
        self.created[Requirement] += len(rows)
        return {r.kind.code: r for r in cycle.requirements.select_related("kind")}

    def version(self, requirement, enrollment, number, content, at, file=None):
        """Version ``number`` of the student's deliverable, created if missing."""
        existing = Submission.objects.filter(
            requirement=requirement, enrollment=enrollment, number=number
        ).first()
        if existing:
            return existing, False
        submission = Submission(
            requirement=requirement,
            enrollment=enrollment,
            number=number,
            content=content,
            submitted_at=at,
            late=requirement.is_late(at),
        )
        if file is not None:
            submission.file.save("upload.pdf", file, save=False)
        submission.save()
        self.created[Submission] += 1
        return submission, True

    def review(self, submission, reviewer, decision, at, comment="", grade=None):
        review = Review.objects.create(
            submission=submission,
            reviewer=reviewer,
            decision=decision,
            comment=comment,
            grade=grade,
            created_at=at,
        )
        self.created[Review] += 1
        notify_decision(review)

    def run(self):
        for name in (ALUMNI, COACHING):
            cycle = current_cycle(name)
            required = self.requirements(cycle)
            if name != ALUMNI:
                continue
            ago = clock(cycle, self.now)
            mentor = MentorProfile.objects.get(user__email=MENTOR)
            mentees = mentee_enrollments(cycle, MENTOR)
            plan, report = required["career_plan"], required["internship_report"]
            student = mentees[0]
            v1, made = self.version(plan, student, 1, PLAN_V1, ago(25, 21))
            if made:
                self.review(v1, mentor, ReviewDecision.RETURNED, ago(22, 9), RETURN_COMMENT)
            self.version(plan, student, 2, PLAN_V2, ago(2, 22))
            pdf = ContentFile(minimal_pdf("Internship evaluation - Shancheng Audit & Advisory"))
            start = timezone.localdate(self.now) - datetime.timedelta(days=150)
            content = REPORT | {
                "start_date": start.isoformat(),
                "end_date": (start + datetime.timedelta(days=56)).isoformat(),
            }
            accepted, made = self.version(report, student, 1, content, ago(16, 20), file=pdf)
            if made:
                self.review(
                    accepted,
                    mentor,
                    ReviewDecision.ACCEPTED,
                    ago(12, 10),
                    "Clear and specific. Well done.",
                    grade=88,
                )
            if len(mentees) > 2:
                late = content | {"organisation": "Jialing Capital Partners", "role": "Intern"}
                self.version(report, mentees[2], 1, late, ago(4, 23))
                _, made = Draft.objects.get_or_create(
                    requirement=plan,
                    enrollment=mentees[1],
                    defaults={"content": {"self_awareness__strengths": "Talking to people."}},
                )
                self.created[Draft] += made
            self.competence(student, mentor, ago(35, 20))
        return self.created

    def competence(self, enrollment, mentor, at):
        dimensions = list(enrollment.cycle.program.competencedimension_set.order_by("position"))
        assessment, made = SelfAssessment.objects.get_or_create(
            enrollment=enrollment, moment=Moment.START, defaults={"submitted_at": at}
        )
        if made:
            Rating.objects.bulk_create(
                Rating(self_assessment=assessment, dimension=d, level=2 + i % 2)
                for i, d in enumerate(dimensions)
            )
            self.created[SelfAssessment] += 1
            self.created[Rating] += len(dimensions)
        if not MentorRating.objects.filter(enrollment=enrollment, by=mentor).exists():
            MentorRating.objects.bulk_create(
                MentorRating(
                    enrollment=enrollment,
                    dimension=d,
                    moment=Moment.START,
                    level=3,
                    by=mentor,
                    comment="Knows her strengths; needs to explore more." if not i else "",
                )
                for i, d in enumerate(dimensions)
            )
            self.created[MentorRating] += len(dimensions)


def seed_assessments(*, plan, now):
    if current_cycle(ALUMNI) is None or current_cycle(COACHING) is None:
        return Counter()
    return DeliverableSeeder(now).run()
