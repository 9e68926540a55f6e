import datetime

import factory
from django.conf import settings
from django.utils import timezone

from mentorship import models as m
from programs import models as p
from programs.services import apply_default_rules
from sessions_app import models as sessions


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", settings.DEMO_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Program {n}")
    kind = p.ProgramKind.MENTOR
    organisation = "School of Economics and Business Administration"

    @factory.post_generation
    def rules(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            apply_default_rules(program=obj)


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.Cycle

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"{2025 + n}")
    starts_on = datetime.date(2026, 9, 1)
    ends_on = datetime.date(2027, 7, 31)
    stage = p.Stage.SETUP


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.StaffRole

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = m.StaffRoleKind.COORDINATOR


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.MentorProfile

    user = factory.SubFactory(UserFactory)
    kind = m.MentorKind.ENTERPRISE
    organisation = factory.Faker("company")
    title = "Director"
    industry = "Finance"
    discipline = "Accounting"


class StudentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.StudentProfile

    user = factory.SubFactory(UserFactory)
    student_number = factory.Sequence(lambda n: f"S{20260000 + n}")
    degree_level = m.DegreeLevel.UNDERGRADUATE
    major = "Accounting"
    year = 3


class RosterEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.RosterEntry

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)
    role = m.RosterRole.STUDENT


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Engagement

    mentor = factory.SubFactory(MentorProfileFactory)
    cycle = factory.SubFactory(CycleFactory)
    capacity = 4
    status = m.EngagementStatus.ACCEPTED


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Enrollment

    student = factory.SubFactory(StudentProfileFactory)
    cycle = factory.SubFactory(CycleFactory)
    status = m.EnrollmentStatus.MATCHED


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Group

    cycle = factory.SubFactory(CycleFactory)
    kind = p.GroupKind.MENTOR_TEAM
    name = factory.Sequence(lambda n: f"Team {n}")


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.GroupMembership

    group = factory.SubFactory(GroupFactory)
    role = m.GroupRole.COACH
    mentor = factory.SubFactory(MentorProfileFactory)
    student = None


class GuestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Guest

    program = factory.SubFactory(ProgramFactory)
    name = factory.Faker("name")
    organisation = factory.Faker("company")


class MatchingRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.MatchingRun

    cycle = factory.SubFactory(CycleFactory)
    created_by = factory.SubFactory(UserFactory)
    input_snapshot = factory.LazyFunction(dict)
    fingerprint = "0" * 64
    result = factory.LazyFunction(dict)
    students_count = 0
    matched_count = 0
    unmatched_count = 0
    first_choice_share = 0.0
    top3_share = 0.0
    under_minimum_count = 0


class MatchFactory(factory.django.DjangoModelFactory):
    """A match placed by hand (no run needed); set published_at to publish it."""

    class Meta:
        model = m.Match

    enrollment = factory.SubFactory(EnrollmentFactory)
    engagement = factory.SubFactory(
        EngagementFactory, cycle=factory.SelfAttribute("..enrollment.cycle")
    )
    source = m.MatchSource.MANUAL
    reason = "Placed in a test"
    created_by = factory.SubFactory(UserFactory)
    published_at = None


class GroupPlacementFactory(GroupMembershipFactory):
    """A student placed in a group by a committed group-level run, not published yet."""

    role = m.GroupRole.STUDENT
    mentor = None
    student = factory.SubFactory(StudentProfileFactory)
    run = factory.SubFactory(
        MatchingRunFactory,
        cycle=factory.SelfAttribute("..group.cycle"),
        level=m.MatchingLevel.GROUP,
        status=m.RunStatus.COMMITTED,
        committed_at=factory.LazyFunction(timezone.now),
    )
    published_at = None


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity of a cycle next week, two hours long, no place limit."""

    class Meta:
        model = "sessions_app.Activity"

    cycle = factory.SubFactory(CycleFactory)
    kind = "exchange_salon"
    title = factory.Sequence(lambda n: f"Salon {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "Room 101"
    created_by = factory.SubFactory(UserFactory)


class ActivityInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.ActivityInvitation"

    activity = factory.SubFactory(ActivityFactory)
    group = None
    user = None


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sessions_app.Registration"

    activity = factory.SubFactory(ActivityFactory)
    user = factory.SubFactory(UserFactory)
    status = "going"


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Opportunity

    cycle = factory.SubFactory(CycleFactory, stage=p.Stage.TRACKING)
    author = factory.SubFactory(MentorProfileFactory)
    kind = m.OpportunityKind.INTERNSHIP
    organisation = factory.Faker("company")
    role = "Analyst intern"
    link = "https://jobs.example.test/analyst"


class OpportunityRecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.OpportunityRecipient

    opportunity = factory.SubFactory(OpportunityFactory)
    enrollment = factory.SubFactory(
        EnrollmentFactory, cycle=factory.SelfAttribute("..opportunity.cycle")
    )


class CompetenceDimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = p.CompetenceDimension

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"dimension_{n}")
    name = factory.Sequence(lambda n: f"Dimension {n}")
    position = 10


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting logged yesterday; add MeetingParticipantFactory rows for its students."""

    class Meta:
        model = sessions.Meeting

    cycle = factory.SubFactory(CycleFactory, stage=p.Stage.TRACKING)
    author = factory.SubFactory(MentorProfileFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    duration_minutes = 45
    mode = sessions.MeetingMode.VIDEO
    topics = factory.LazyFunction(lambda: [sessions.MeetingTopic.CAREER_PLANNING])
    summary = "Talked about the student's career options."
    next_steps = "Draft a career plan."


class MeetingParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = sessions.MeetingParticipant

    meeting = factory.SubFactory(MeetingFactory)
    student = factory.SubFactory(StudentProfileFactory)
    status = sessions.ParticipantStatus.PENDING
    answered_at = factory.LazyAttribute(
        lambda o: None if o.status == sessions.ParticipantStatus.PENDING else timezone.now()
    )
    comment = factory.LazyAttribute(
        lambda o: "That is not what we said." if o.status == "disputed" else ""
    )


class RequirementFactory(factory.django.DjangoModelFactory):
    """A requirement of one of the cycle's program's default deliverable kinds."""

    class Meta:
        model = "assessments.Requirement"
        exclude = ("kind_code",)

    kind_code = "career_plan"
    cycle = factory.SubFactory(CycleFactory, stage=p.Stage.TRACKING)
    kind = factory.LazyAttribute(
        lambda o: p.DeliverableKind.objects.get(program=o.cycle.program, code=o.kind_code)
    )
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Submission"

    requirement = factory.SubFactory(RequirementFactory)
    enrollment = factory.SubFactory(
        EnrollmentFactory, cycle=factory.SelfAttribute("..requirement.cycle")
    )
    number = 1
    content = factory.LazyFunction(lambda: {"self_awareness__strengths": "Patient"})


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Review"

    submission = factory.SubFactory(SubmissionFactory)
    reviewer = factory.SubFactory(MentorProfileFactory)
    decision = "comment"
    comment = "A good start."
