"""A cycle's awards: proposed by rank, decided by the steering group,
published by the program office.

For each of the program's award categories the system proposes the best-placed
subjects of the finalized evaluation, never more than the category's quota:
equal totals are ordered by the documented tie-breaks (assessments.evaluation:
steering score, then the criterion that breaks ties), and when a tie runs past
the quota's edge those proposed from it are marked tied, so the steering group
sees that the order, not the total, chose them. A category without a quota proposes nobody:
its recipients are added by hand. Steering members confirm or decline each
candidate and may add someone not proposed; departing from the proposal needs
a written reason. Publishing notifies each recipient, lets them download a
certificate and marks excellent mentors for priority in the program's next
cycle.

Everything happens in the reward stage, once the evaluation is finalized, and
nothing changes once the cycle is closed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from mentorship.models import Engagement, GroupMembership, GroupRole
from mentorship.reminders import notify_many
from programs.models import AwardCategory, AwardSubject, Program, Stage

from .judging import is_judge, steered_program_ids
from .models import Award, AwardDecision, Evaluation, Standing
from .models.evaluation import OVERRIDE_NEEDS_REASON
from .models.subjects import SUBJECT_FIELDS

NOTIFICATION_KIND = "award_published"
DECIDED_FIELDS = ["decision", "reason", "citation", "decided_by", "decided_at"]
# Stored in English in the ledger; translated when the reader sees it.
NOTIFICATION_TITLE = gettext_noop("You received an award")


class AwardError(Exception):
    """The award action is refused; the message says why, in the user's
    language. ``field`` names the form field at fault, if one is."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field
        self.award = None  # the award refused, where several are decided at once


def quota_of(category, evaluated):
    """How many awards ``category`` proposes among ``evaluated`` ranked
    subjects: its number, or its share rounded down but at least one when
    anyone was evaluated; None when it has no quota (nobody is proposed)."""
    if category.quota is not None:
        return category.quota
    if category.quota_percent is not None:
        return max(evaluated * category.quota_percent // 100, 1) if evaluated else 0
    return None


def proposal(ranked, quota):
    """[(subject id, tied)] proposed from ``ranked`` (subject id, rank) pairs
    in place order (ties already broken): the first ``quota``; those sharing
    the rank of the last of them are ``tied`` when someone of that rank is
    left out."""
    if not quota or not ranked:
        return []
    chosen, rest = ranked[:quota], ranked[quota:]
    edge = chosen[-1][1]
    crosses = any(rank == edge for _pk, rank in rest)
    return [(pk, crosses and rank == edge) for pk, rank in chosen]


def candidate(evaluation, category, subject_id, **fields):
    """An unsaved Award of ``category`` for ``subject_id`` (an enrollment,
    engagement or group id, as the category's subject says)."""
    return Award(
        evaluation=evaluation,
        category=category,
        subject=category.subject,
        **{f"{SUBJECT_FIELDS[category.subject]}_id": subject_id},
        **fields,
    )


def closed_reason(evaluation):
    """Why the awards of ``evaluation`` cannot change now, or None."""
    cycle = evaluation.cycle
    if cycle.stage == Stage.CLOSED:
        return _("The cycle is closed: its awards can no longer change.")
    if cycle.stage != Stage.REWARD:
        return _(
            "Awards are decided in the reward stage; this cycle is in the %(stage)s stage."
        ) % {"stage": cycle.get_stage_display()}
    if not evaluation.is_final:
        return _("Awards wait for the evaluation to be finalized.")
    return None


def is_coordinator(user, program):
    return Program.objects.coordinated_by(user).filter(pk=program.pk).exists()


def _lock(evaluation_ids):
    """{id: evaluation} of ``evaluation_ids``, locked for the rest of the
    transaction (in id order, so two callers never wait on each other
    crosswise): proposals, decisions and publication of one cycle run one at
    a time."""
    locked = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle__program")
        .filter(pk__in=evaluation_ids)
        .order_by("pk")
    )
    return {evaluation.pk: evaluation for evaluation in locked}


def _open(evaluation):
    """``evaluation``, or AwardError when its awards cannot change now."""
    reason = closed_reason(evaluation)
    if reason:
        raise AwardError(reason)
    return evaluation


def _locked(evaluation):
    """``evaluation`` locked (see ``_lock``); AwardError when its awards
    cannot change now."""
    return _open(_lock([evaluation.pk])[evaluation.pk])


@transaction.atomic
def propose_awards(*, evaluation, by):
    """Propose each category's candidates by rank; returns how many were added.

    Must hold: the cycle is in the reward stage with its evaluation finalized
    and ``by`` coordinates or steers the program. Proposals still to decide
    are replaced; decided candidates (confirmed, declined, added by hand) are
    kept as they are, and nobody is listed twice in a category.
    """
    evaluation = _locked(evaluation)
    program = evaluation.cycle.program
    if not (is_coordinator(by, program) or is_judge(by, program)):
        raise AwardError(_("Only the program's coordinators and steering members propose awards."))
    Award.objects.filter(evaluation=evaluation, decision=AwardDecision.PENDING).delete()
    kept = {
        (award.category_id, award.subject, award.subject_id)
        for award in Award.objects.filter(evaluation=evaluation)
    }
    ranked = {subject: [] for subject in AwardSubject.values}
    for standing in Standing.objects.filter(evaluation=evaluation, rank__isnull=False).order_by(
        F("place").asc(nulls_last=True), "rank", "pk"
    ):
        ranked[standing.subject].append((standing.subject_id, standing.rank))
    new = []
    for category in AwardCategory.objects.filter(program=program):
        candidates = ranked[category.subject]
        for pk, tied in proposal(candidates, quota_of(category, len(candidates))):
            if (category.pk, category.subject, pk) in kept:
                continue
            new.append(candidate(evaluation, category, pk, proposed=True, tied=tied))
    Award.objects.bulk_create(new)
    return len(new)


def _check_steering(program, steered):
    """AwardError unless ``program`` is among ``steered`` (the ids
    judging.steered_program_ids gives for the user acting)."""
    if program.pk not in steered:
        raise AwardError(_("Only the program's steering members decide awards."))


def _validated(award):
    """``award`` as the database will take it; the override rule's message
    (a reason is needed) on the reason field."""
    try:
        award.validate_constraints()
    except ValidationError as error:
        raise AwardError(" ".join(error.messages), field="reason") from error
    return award


def _decided(award, evaluation, steered, *, decision, reason="", citation="", by, now):
    """``award`` (as stored, of the locked ``evaluation``) with the decision
    applied, True when it changed (False: published and confirmed again as
    it stands); AwardError when the decision is refused. No query."""
    _open(evaluation)
    _check_steering(evaluation.cycle.program, steered)
    if decision not in (AwardDecision.CONFIRMED, AwardDecision.DECLINED):
        raise AwardError(_("Confirm or decline the candidate."), field="decision")
    reason, citation = reason.strip(), citation.strip()
    if award.published_at is not None:
        if decision != AwardDecision.CONFIRMED:
            raise AwardError(_("This award is published: it can no longer be declined."))
        if citation != award.citation:
            raise AwardError(
                _("This award is published: its citation can no longer change."),
                field="citation",
            )
        return False
    award.decision, award.reason, award.citation = decision, reason, citation
    award.decided_by, award.decided_at = by, now
    # The override rule in Python: validate_constraints would ask the
    # database once a row. The constraint itself still guards the write.
    if award.lacks_reason():
        raise AwardError(str(OVERRIDE_NEEDS_REASON), field="reason")
    return True


def _decide(decisions, by):
    """The stored awards of ``decisions``, decided (see decide_awards), in a
    fixed number of queries whatever their number."""
    evaluations = _lock({award.evaluation_id for award, _values in decisions})
    stored = Award.objects.in_bulk([award.pk for award, _values in decisions])
    steered = steered_program_ids(by)
    now = timezone.now()
    decided, changed = [], []
    for award, values in decisions:
        try:
            row = stored.get(award.pk)
            if row is None:
                raise AwardError(_("This candidate is no longer listed: reload the page."))
            if _decided(row, evaluations[award.evaluation_id], steered, by=by, now=now, **values):
                changed.append(row)
        except AwardError as error:
            error.award = award
            raise
        decided.append(row)
    Award.objects.bulk_update(changed, DECIDED_FIELDS)
    return decided


@transaction.atomic
def decide_award(*, award, decision, reason="", citation="", by):
    """Confirm or decline ``award`` for steering member ``by``, with its
    citation; returns it as stored.

    Must hold: the awards may change (reward stage, evaluation finalized,
    cycle open); ``by`` steers the program; declining a proposed candidate
    needs a written reason. Once published an award stays confirmed and its
    citation stays as published.
    """
    values = {"decision": decision, "reason": reason, "citation": citation}
    [decided] = _decide([(award, values)], by)
    return decided


@transaction.atomic
def decide_awards(*, decisions, by):
    """Every decision of ``decisions`` [(award, {"decision", "reason",
    "citation"})] for steering member ``by``, or none: the first refused one
    raises its AwardError, with ``award`` set to that award. Each must hold
    what :func:`decide_award` needs. A fixed number of queries however many
    (one bulk update), so a page of decisions saves as fast as one."""
    return len(_decide(decisions, by))


@transaction.atomic
def add_award(*, evaluation, category, subject_id, reason, citation="", by):
    """Give ``category`` to a subject the proposal left out (an enrollment,
    engagement or group id, as the category's subject says), confirmed at once.

    Must hold: the awards may change; ``by`` steers the program; the subject
    was evaluated in the cycle and is not yet listed in the category; a
    written reason says why.
    """
    evaluation = _locked(evaluation)
    program = evaluation.cycle.program
    _check_steering(program, steered_program_ids(by))
    if category.program_id != program.pk:
        raise AwardError(_("Choose a category of this program."), field="category")
    key = SUBJECT_FIELDS[category.subject]
    evaluated = Standing.objects.filter(evaluation=evaluation, **{f"{key}_id": subject_id})
    if subject_id is None or not evaluated.exists():
        raise AwardError(_("Choose someone evaluated in this cycle."), field="subject")
    listed = Award.objects.filter(evaluation=evaluation, category=category)
    if listed.filter(**{f"{key}_id": subject_id}).exists():
        raise AwardError(_("Already a candidate in this category: decide there."), field="subject")
    award = candidate(
        evaluation,
        category,
        subject_id,
        proposed=False,
        decision=AwardDecision.CONFIRMED,
        reason=reason.strip(),
        citation=citation.strip(),
        decided_by=by,
        decided_at=timezone.now(),
    )
    _validated(award).save()
    return award


def pending_count(evaluation):
    return Award.objects.filter(evaluation=evaluation, decision=AwardDecision.PENDING).count()


@transaction.atomic
def publish_awards(*, evaluation, by):
    """Publish the confirmed awards not yet published; returns how many.

    Must hold: the awards may change; ``by`` coordinates the program; no
    candidate is left to decide. Each recipient is notified (a group award:
    the group's published students and its coaches); mentors receiving an
    award are rated excellent, which gives them priority in the program's next
    cycle. Publishing again publishes only what was confirmed since.
    """
    evaluation = _locked(evaluation)
    if not is_coordinator(by, evaluation.cycle.program):
        raise AwardError(_("Only the program's coordinators publish awards."))
    pending = pending_count(evaluation)
    if pending:
        raise AwardError(
            ngettext(
                "%(count)d candidate is still to be decided.",
                "%(count)d candidates are still to be decided.",
                pending,
            )
            % {"count": pending}
        )
    awards = list(
        Award.objects.filter(
            evaluation=evaluation, decision=AwardDecision.CONFIRMED, published_at__isnull=True
        ).select_related("enrollment__student", "engagement__mentor")
    )
    if not awards:
        return 0
    now = timezone.now()
    Award.objects.filter(pk__in=[award.pk for award in awards]).update(published_at=now)
    Engagement.objects.filter(
        pk__in=[a.engagement_id for a in awards if a.subject == AwardSubject.MENTOR]
    ).update(rated_excellent=True)
    members = _group_members([a.group_id for a in awards if a.subject == AwardSubject.GROUP])
    for award in awards:
        notify_many(
            recipients=recipient_ids(award, members),
            kind=NOTIFICATION_KIND,
            subject_key=f"assessments.award:{award.pk}",
            payload={
                "title": NOTIFICATION_TITLE,
                "context": str(evaluation.cycle),
                "url": reverse("award_certificate", args=[award.pk]),
            },
            now=now,
        )
    return len(awards)


def group_recipients():
    """Memberships whose person receives their group's award: published
    students and the group's coaches."""
    return GroupMembership.objects.filter(
        ~Q(role=GroupRole.STUDENT) | Q(published_at__isnull=False)
    )


def _group_members(group_ids):
    """{group id: [user id]} of the receiving members of ``group_ids`` (one query)."""
    members = {pk: [] for pk in group_ids}
    rows = (
        group_recipients()
        .filter(group__in=group_ids)
        .values_list("group_id", "student__user_id", "mentor__user_id")
    )
    for group_id, student_user, mentor_user in rows:
        members[group_id].append(student_user or mentor_user)
    return members


def recipient_ids(award, members):
    """User ids who receive ``award``; ``members`` from ``_group_members``."""
    if award.subject == AwardSubject.STUDENT:
        return [award.enrollment.student.user_id]
    if award.subject == AwardSubject.MENTOR:
        return [award.engagement.mentor.user_id]
    return members.get(award.group_id, [])
