"""Who reads and reviews deliverables, as a UNION of indexed id sets (issue
14): exactly the rows of the OR'd EXISTS filters it replaced, for every persona.

The former filters are kept below as the reference. They were correct, but
PostgreSQL costed them at hundreds of thousands for one version and JIT
compiled the review page's query for longer than it ran.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q

from assessments.models import Submission
from assessments.permissions import reviewable_enrollments, visible_submissions
from mentorship.models import Enrollment, GroupMembership
from mentorship.publishing import published_matches
from programs.models import Program
from tests import factories as f

pytestmark = pytest.mark.django_db


def former_reviewable(user):
    matched = published_matches().filter(enrollment=OuterRef("pk"), engagement__mentor__user=user)
    coached = GroupMembership.objects.filter(
        student=OuterRef("student"),
        group__cycle=OuterRef("cycle"),
        published_at__isnull=False,
        group__memberships__mentor__user=user,
    )
    return Enrollment.objects.filter(Exists(matched) | Exists(coached))


def former_visible(user):
    if not user.is_authenticated:
        return Submission.objects.none()
    if user.is_superuser:
        return Submission.objects.all()
    return Submission.objects.filter(
        Q(enrollment__student__user=user)
        | Q(enrollment__in=former_reviewable(user).values("pk"))
        | Q(requirement__cycle__program__in=Program.objects.staffed_by(user).values("pk"))
    )


def ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


@pytest.fixture
def scene(world, dl):
    """The deliverables world plus the near misses: a match not published, a
    placement not published, and a coach of the student's group a cycle later."""
    later = f.CycleFactory(program=world.program, name="2027-2028", stage="tracking")
    later_enrollment = f.EnrollmentFactory(student=world.student.student_profile, cycle=later)
    later_team = f.GroupFactory(cycle=later, name="Later team")
    later_coach = f.GroupMembershipFactory(group=later_team, role="chief").mentor.user
    f.GroupMembershipFactory(
        group=later_team, mentor=None, student=world.student.student_profile, role="student"
    )
    unpublished = f.MatchFactory(enrollment=dl.rival_enrollment, published_at=None)
    pending_team = f.GroupFactory(cycle=world.cycle, name="Pending team")
    pending_coach = f.GroupMembershipFactory(group=pending_team, role="chief").mentor.user
    f.GroupPlacementFactory(group=pending_team, student=dl.rival_enrollment.student)
    later_plan = f.RequirementFactory(cycle=later, kind_code="career_plan")
    for requirement, enrollment, number in (
        (dl.plan, dl.enrollment, 1),
        (dl.plan, dl.enrollment, 2),
        (dl.report, dl.rival_enrollment, 1),
        (later_plan, later_enrollment, 1),
    ):
        f.SubmissionFactory(requirement=requirement, enrollment=enrollment, number=number)
    elsewhere = Enrollment.objects.get(student__user=world.other_student)
    f.SubmissionFactory(
        requirement=f.RequirementFactory(cycle=world.other_cycle), enrollment=elsewhere
    )
    people = {
        "student": world.student,
        "rival_student": dl.rival_student,
        "other_student": world.other_student,
        "mentor": world.mentor,
        "matched": dl.matched,
        "rival_coach": dl.rival_coach,
        "later_coach": later_coach,
        "pending_coach": pending_coach,
        "unpublished_mentor": unpublished.engagement.mentor.user,
        "other_mentor": world.other_mentor,
        "coordinator": world.coordinator,
        "steering": world.steering,
        "other_coordinator": world.other_coordinator,
        "no_role": dl.no_role,
        "superuser": f.UserFactory(is_superuser=True, is_staff=True),
    }
    return SimpleNamespace(people=people, later_coach=later_coach, later=later_enrollment)


def test_every_persona_reads_and_reviews_the_same_versions_as_before(scene):
    read = set()
    for name, user in scene.people.items():
        assert ids(visible_submissions(user)) == ids(former_visible(user)), name
        assert ids(reviewable_enrollments(user)) == ids(former_reviewable(user)), name
        read.update(ids(visible_submissions(user)))
        for submission in Submission.objects.all():
            assert visible_submissions(user).filter(pk=submission.pk).exists() == (
                former_visible(user).filter(pk=submission.pk).exists()
            ), (name, submission.pk)
    # Not vacuous: every version is someone's; the near misses stay out.
    assert read == set(ids(Submission.objects.all()))
    assert ids(reviewable_enrollments(scene.later_coach)) == [scene.later.pk]
    for name in ("pending_coach", "unpublished_mentor", "no_role"):
        assert ids(reviewable_enrollments(scene.people[name])) == [], name
    assert ids(visible_submissions(AnonymousUser())) == []


def test_the_filters_read_id_sets_not_a_subquery_per_row(world):
    for user in (world.student, world.mentor, world.coordinator):
        for queryset in (visible_submissions(user), reviewable_enrollments(user)):
            sql = str(queryset.query).upper()
            assert "UNION" in sql and "EXISTS" not in sql
