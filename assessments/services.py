"""Changes to deliverables: drafts, submitted versions and reviews.

Submissions are open while the cycle is in kick-off or process tracking and
close when the final evaluation starts, unless the coordinator chose to keep a
deliverable not yet due open until its due date (stage_consequences). After
the due date a submission is marked late, or refused when the coordinator has
locked the requirement. A version beyond the program's upload rules is refused too (upload_limits).
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mentorship.models import Enrollment
from mentorship.reminders import notify
from programs.models import Stage

from .models import Draft, Review, ReviewDecision, Submission
from .upload_limits import allowance

OPEN_STAGES = (Stage.KICK_OFF, Stage.TRACKING)


class DeliverableError(Exception):
    """The change is not allowed now; the message says why, in the user's language."""


class LimitReached(DeliverableError):
    """The program's upload rules refuse this version. ``field`` names the form
    field the message belongs to (None: the whole form), which stays on screen
    with what the student typed."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


def closed_reason(requirement, *, at=None):
    """Why ``requirement`` takes no submissions at ``at`` (default now), or None.
    One the coordinator kept open when the cycle moved on stays open in the
    final evaluation until its due date."""
    at = at or timezone.now()
    stage = requirement.cycle.stage
    kept_open = (
        stage == Stage.EVALUATION and requirement.open_until_due and not requirement.is_late(at)
    )
    if stage not in OPEN_STAGES and not kept_open:
        return _("Deliverables can be submitted during kick-off and process tracking only.")
    if requirement.locked and requirement.is_late(at):
        return _("The due date has passed and the program office no longer accepts this one.")
    return None


def decision_of(submission):
    """The decision (returned or accepted) on a version whose reviews are loaded, or None."""
    for review in submission.reviews.all():
        if review.decision != ReviewDecision.COMMENT:
            return review.decision
    return None


def _check_open(requirement, at):
    reason = closed_reason(requirement, at=at)
    if reason:
        raise DeliverableError(reason)


def save_draft(*, requirement, enrollment, content):
    """Keep the student's unsubmitted work. ``enrollment`` must be the student's
    active enrollment in the requirement's cycle (see get_requirement_for_user)."""
    _check_open(requirement, timezone.now())
    draft, _created = Draft.objects.update_or_create(
        requirement=requirement, enrollment=enrollment, defaults={"content": content}
    )
    return draft


def _check_limits(requirement, enrollment, file, now):
    left = allowance(requirement=requirement, enrollment=enrollment, now=now)
    refusal = left.versions_refusal()
    if refusal:
        raise LimitReached(refusal)
    refusal = file and left.space_refusal(file.size)
    if refusal:
        raise LimitReached(refusal, field="file")


def submit(*, requirement, enrollment, content, file=None, suffix="", key=None, now=None):
    """Record a new version at ``now`` (default now); the draft is used up.
    ``file``, if any, must have passed validate_upload, which gave ``suffix``.
    Same precondition on ``enrollment`` as save_draft. An accepted deliverable
    takes no new version, nor one beyond the program's upload rules.

    ``key`` is the submitting form's key: when a version of this student's
    deliverable already carries it (a double click, a resent POST), that
    version is returned with ``repeat`` True and nothing new is made. A file
    stored for a version whose row is not written is removed again.
    """
    stored = []
    try:
        return _submit(
            requirement=requirement,
            enrollment=enrollment,
            content=content,
            file=file,
            suffix=suffix,
            key=key,
            now=now,
            stored=stored,
        )
    except BaseException as error:
        # The transaction rolled back: no row names the file any more.
        for name in stored:
            Submission.file.field.storage.delete(name)
        # Where the lock did not hold the repeat back, the key's constraint did.
        if isinstance(error, IntegrityError) and key is not None:
            made = Submission.objects.filter(
                requirement=requirement, enrollment=enrollment, submit_key=key
            ).first()
            if made is not None:
                made.repeat = True
                return made
        raise


@transaction.atomic
def _submit(*, requirement, enrollment, content, file, suffix, key, now, stored):
    # Locking the enrollment numbers two quick submits 1 and 2, never 2 and 2,
    # and lets only one of them take the day's last version or the last space;
    # a repeat of the same form waits here and then finds the first one's version.
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    versions = Submission.objects.filter(requirement=requirement, enrollment=enrollment)
    if key is not None and (made := versions.filter(submit_key=key).first()) is not None:
        made.repeat = True
        return made
    now = now or timezone.now()
    _check_open(requirement, now)
    if Review.objects.filter(submission__in=versions, decision=ReviewDecision.ACCEPTED).exists():
        raise DeliverableError(_("Your mentor has accepted this deliverable; it is complete."))
    _check_limits(requirement, enrollment, file, now)
    number = (versions.aggregate(last=Max("number"))["last"] or 0) + 1
    submission = Submission(
        requirement=requirement,
        enrollment=enrollment,
        number=number,
        content=content,
        submitted_at=now,
        late=requirement.is_late(now),
        submit_key=key,
    )
    if file:
        # The stored name takes only the checked suffix; upload_to makes it random.
        submission.file.save(f"upload{suffix}", file, save=False)
        stored.append(submission.file.name)
    submission.save()
    Draft.objects.filter(requirement=requirement, enrollment=enrollment).delete()
    submission.repeat = False
    return submission


@transaction.atomic
def review(*, submission, reviewer, decision, comment="", grade=None):
    """Record ``reviewer``'s review of ``submission``. ``reviewer`` must be the
    student's mentor or group coach (get_submission_for_user with write). Only the
    latest version of an open cycle may be reviewed, and decided once."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.requirement.cycle.stage == Stage.CLOSED:
        raise DeliverableError(
            _("The cycle is closed; its deliverables can no longer be reviewed.")
        )
    newer = Submission.objects.filter(
        requirement=submission.requirement_id,
        enrollment=submission.enrollment_id,
        number__gt=submission.number,
    )
    if newer.exists():
        raise DeliverableError(_("The student has submitted a newer version; review that one."))
    if decision != ReviewDecision.COMMENT:
        earlier = (
            submission.reviews.exclude(decision=ReviewDecision.COMMENT)
            .select_related("reviewer__user")
            .first()
        )
        if earlier is not None:
            raise DeliverableError(decided_meanwhile(earlier))
    created = Review.objects.create(
        submission=submission,
        reviewer=reviewer,
        decision=decision,
        comment=comment,
        grade=grade,
    )
    if decision != ReviewDecision.COMMENT:
        notify_decision(created)
    return created


def decided_meanwhile(earlier):
    """Why a second decision on a version is refused: who decided it, how and when."""
    values = {
        "name": earlier.reviewer.user.full_name,
        "date": date_format(timezone.localtime(earlier.created_at), "DATETIME_FORMAT"),
    }
    if earlier.decision == ReviewDecision.ACCEPTED:
        text = _("This version was reviewed meanwhile: %(name)s accepted it (%(date)s).")
    else:
        text = _(
            "This version was reviewed meanwhile: %(name)s returned it for revision (%(date)s)."
        )
    return " ".join(
        [text % values, _("Your review was not saved; you may still add it as a comment.")]
    )


# Stored in English in the ledger; translated when the reader sees them.
DECISION_TITLES = {
    ReviewDecision.RETURNED: gettext_noop("Your submission was returned for revision"),
    ReviewDecision.ACCEPTED: gettext_noop("Your submission was accepted"),
}


def notify_decision(review):
    """Tell the student of ``review``'s decision (returned or accepted): in the
    centre and the next digest (no direct mail exists for it). Call it inside
    the review's transaction, so a rolled-back review tells nobody."""
    submission = review.submission
    requirement = submission.requirement
    notify(
        recipient=submission.enrollment.student.user_id,
        kind="submission_decided",
        subject_key=f"assessments.review:{review.pk}",
        payload={
            "title": DECISION_TITLES[review.decision],
            "context": requirement.kind.name,
            "url": reverse("deliverable_detail", args=[requirement.pk]),
        },
        now=review.created_at,
    )
