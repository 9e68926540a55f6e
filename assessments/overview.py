"""What the homes and list pages show of deliverables, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mentorship.models import Enrollment, GroupMembership
from programs.models import Stage

from .models import Draft, Requirement, Review, ReviewDecision, Submission
from .services import decision_of

NOT_STARTED, DRAFT, SUBMITTED, RETURNED, ACCEPTED = (
    "not_started",
    "draft",
    "submitted",
    "returned",
    "accepted",
)
STATUS_LABELS = {
    NOT_STARTED: _("Not started"),
    DRAFT: _("Draft saved"),
    SUBMITTED: _("Submitted"),
    RETURNED: _("Returned for revision"),
    ACCEPTED: pgettext_lazy("deliverable", "Accepted"),
}
STATUS_STYLES = {
    NOT_STARTED: "secondary",
    DRAFT: "info",
    SUBMITTED: "primary",
    RETURNED: "warning",
    ACCEPTED: "success",
}


@dataclass
class DeliverableRow:
    requirement: Requirement
    versions: list
    has_draft: bool

    @property
    def latest(self):
        return self.versions[-1] if self.versions else None

    @property
    def status(self):
        if self.latest is None:
            return DRAFT if self.has_draft else NOT_STARTED
        decision = decision_of(self.latest)
        return {ReviewDecision.ACCEPTED: ACCEPTED, ReviewDecision.RETURNED: RETURNED}.get(
            decision, SUBMITTED
        )

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def status_style(self):
        return STATUS_STYLES[self.status]

    @property
    def overdue(self):
        return self.latest is None and timezone.now() > self.requirement.due_at

    @property
    def latest_comment(self):
        reviews = [r for version in self.versions for r in version.reviews.all() if r.comment]
        return max(reviews, key=lambda r: r.created_at) if reviews else None


def reviews_prefetch():
    return Prefetch(
        "reviews", queryset=Review.objects.select_related("reviewer__user").order_by("created_at")
    )


def student_deliverables(user, *, current_only=False):
    """The signed-in student's requirements in their cycles (withdrawn ones left
    out; with ``current_only`` closed cycles too), each with its versions,
    reviews and status. Three queries."""
    enrollments = Enrollment.objects.for_user(user).active()
    if current_only:
        enrollments = enrollments.exclude(cycle__stage=Stage.CLOSED)
    cycles = enrollments.values("cycle")
    requirements = (
        Requirement.objects.filter(cycle__in=cycles)
        .select_related("kind", "cycle__program")
        .annotate(
            has_draft=Exists(
                Draft.objects.filter(requirement=OuterRef("pk"), enrollment__student__user=user)
            )
        )
        .order_by("-cycle__starts_on", "due_at", "pk")
    )
    versions = {}
    for submission in (
        Submission.objects.filter(enrollment__student__user=user, requirement__cycle__in=cycles)
        .prefetch_related(reviews_prefetch())
        .order_by("number")
    ):
        versions.setdefault(submission.requirement_id, []).append(submission)
    return [
        DeliverableRow(requirement, versions.get(requirement.pk, []), requirement.has_draft)
        for requirement in requirements
    ]


def home_deliverables(user):
    """The student home's deliverables: those of cycles still running."""
    return student_deliverables(user, current_only=True)


def running_reviewable_enrollments(user):
    """Ids of the enrollments in cycles still running whose deliverables
    ``user`` reviews, the two ways permissions.reviewable_enrollments names:
    their published mentee, or a published student of a group they coach.

    Found from the mentor's own matches and group places (a union of two
    indexed id sets), so the work follows the mentor's load, not the size of
    the cycles: testing every enrollment of the running cycles against both
    ways at once scanned all their versions and reviews."""
    running = Enrollment.objects.exclude(cycle__stage=Stage.CLOSED)
    matched = running.filter(
        match__published_at__isnull=False, match__engagement__mentor__user=user
    )
    coached = running.filter(
        student__group_memberships__group__in=GroupMembership.objects.filter(
            mentor__user=user
        ).values("group"),
        student__group_memberships__group__cycle=F("cycle"),
        student__group_memberships__published_at__isnull=False,
    )
    return (
        matched.order_by()
        .values_list("pk", flat=True)
        .union(coached.order_by().values_list("pk", flat=True))
        .order_by()
    )


def reviews_waiting(user):
    """Latest versions of the mentor's students (as mentor or group coach) that
    no one has reviewed yet, oldest first, in open cycles. Two queries."""
    # The mentor's few enrollments first, as a list: left as a subquery beside
    # the joins of what is shown, it takes PostgreSQL past its join-collapse
    # limit and every version of the running cycles is joined before the
    # mentor's are kept.
    enrollments = list(running_reviewable_enrollments(user))
    newer = Submission.objects.filter(
        requirement=OuterRef("requirement"),
        enrollment=OuterRef("enrollment"),
        number__gt=OuterRef("number"),
    )
    return list(
        Submission.objects.filter(enrollment__in=enrollments)
        .exclude(requirement__cycle__stage=Stage.CLOSED)
        .exclude(Exists(newer))
        .exclude(Exists(Review.objects.filter(submission=OuterRef("pk"))))
        .select_related(
            "requirement__kind", "requirement__cycle__program", "enrollment__student__user"
        )
        .order_by("submitted_at", "pk")
    )


@dataclass
class MenteeDeliverables:
    enrollment: Enrollment
    rows: list  # DeliverableRow per requirement of the cycle, as the mentor sees it


def mentee_deliverables(user):
    """Each published mentee of the mentor in a running cycle with the status of
    every requirement of that cycle (drafts stay the student's own). Four queries."""
    enrollments = list(
        Enrollment.objects.active()
        .filter(
            match__engagement__mentor__user=user,
            match__published_at__isnull=False,
        )
        .exclude(cycle__stage__in=[Stage.CLOSED, Stage.SETUP, Stage.SELECTION])
        .select_related("student__user", "cycle__program")
        .order_by("cycle__starts_on", "student__user__full_name", "pk")
    )
    cycles = {enrollment.cycle_id for enrollment in enrollments}
    requirements = {}
    for requirement in (
        Requirement.objects.filter(cycle__in=cycles).select_related("kind").order_by("due_at", "pk")
    ):
        requirements.setdefault(requirement.cycle_id, []).append(requirement)
    versions = {}
    for submission in (
        Submission.objects.filter(enrollment__in=enrollments)
        .prefetch_related(reviews_prefetch())
        .order_by("number")
    ):
        versions.setdefault((submission.enrollment_id, submission.requirement_id), []).append(
            submission
        )
    return [
        MenteeDeliverables(
            enrollment,
            [
                DeliverableRow(r, versions.get((enrollment.pk, r.pk), []), has_draft=False)
                for r in requirements.get(enrollment.cycle_id, [])
            ],
        )
        for enrollment in enrollments
    ]
