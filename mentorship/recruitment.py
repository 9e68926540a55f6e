"""Mentor recruitment for a cycle: invitations and the mentor's answer.

The program office invites mentors from the program's roster, or new people by
e-mail; each invitation is an Engagement in status "invited". The mentor
accepts (choosing a capacity within the program's bounds) or declines in the
browser. All of it happens while the cycle is in setup or selection.

Mentors rated excellent in the program's previous cycle have priority: they
are marked, listed first, and while the cycle's priority window is open only
they can be invited.
"""

import logging
import smtplib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programs.models import Cycle, Stage

from .invitations import send_invitation_email
from .models import (
    Engagement,
    EngagementStatus,
    MentorKind,
    MentorProfile,
    RosterEntry,
    RosterRole,
    User,
)
from .reach import REFUSAL, Reach

logger = logging.getLogger(__name__)

RECRUITING_STAGES = (Stage.SETUP, Stage.SELECTION)


class RecruitmentError(Exception):
    """The invitation or answer is refused; the message says why. ``field``
    names the form field at fault, if one is."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


@dataclass
class InvitationOutcome:
    """What an invitation call did: who was invited, who already had an
    engagement (left unchanged), who must wait for the priority window, and
    whose invitation e-mail could not be sent."""

    invited: list = field(default_factory=list)
    already: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    unsent: list = field(default_factory=list)


def previous_cycle(cycle):
    """The program's last evaluated cycle before ``cycle``, or None.

    Ratings are final once a cycle has left its final evaluation (reward or
    closed). Next year's early selection runs while this year's cycle is still
    being tracked, so "the previous cycle" for priority is the last one rated.
    """
    return (
        Cycle.objects.filter(
            program_id=cycle.program_id,
            starts_on__lt=cycle.starts_on,
            stage__in=[Stage.REWARD, Stage.CLOSED],
        )
        .order_by("-starts_on", "-pk")
        .first()
    )


def priority_mentor_ids(cycle):
    """Ids of the mentors rated excellent in the program's previous cycle."""
    earlier = previous_cycle(cycle)
    if earlier is None:
        return set()
    return set(
        Engagement.objects.filter(cycle=earlier, rated_excellent=True).values_list(
            "mentor_id", flat=True
        )
    )


def priority_window_open(cycle, now=None):
    until = cycle.priority_invitations_until
    return until is not None and (now or timezone.now()) < until


def priority_wait_message(cycle):
    """Why a mentor without priority cannot be invited yet."""
    return _(
        "Until %(until)s only mentors rated excellent in the previous cycle can be invited."
    ) % {
        "until": date_format(
            timezone.localtime(cycle.priority_invitations_until), "DATETIME_FORMAT"
        )
    }


def recruitment_closed_reason(cycle):
    """Why invitations and answers are refused in ``cycle`` now, or None."""
    if cycle.stage not in RECRUITING_STAGES:
        return _(
            "Mentors are recruited only while the cycle is in setup or selection; "
            "this cycle is in %(stage)s."
        ) % {"stage": cycle.get_stage_display()}
    return None


def _check_recruiting(cycle):
    reason = recruitment_closed_reason(cycle)
    if reason:
        raise RecruitmentError(reason)


def roster_mentors(program):
    """Mentor profiles of the people on ``program``'s roster as mentors."""
    return MentorProfile.objects.filter(
        user__roster_entries__program=program, user__roster_entries__role=RosterRole.MENTOR
    ).distinct()


def invite_from_roster(*, cycle, mentors, by):
    """Invite roster mentors to ``cycle``; returns an InvitationOutcome.

    Must hold first: ``by`` coordinates the cycle's program (checked by the
    caller). Checked here: the cycle is in setup or selection, every mentor is
    on the program's roster as a mentor (RecruitmentError otherwise, nothing
    changed). A mentor already engaged in the cycle, whatever the status, is
    left as is; during the priority window a mentor without priority is not
    invited. Each new invitation is e-mailed once its row is committed.
    """
    wanted = {mentor.pk for mentor in mentors}
    outcome = InvitationOutcome()
    with transaction.atomic():
        # The cycle row is locked so two invitations of the same mentor (two
        # tabs, two coordinators) cannot both insert.
        cycle = (
            Cycle.objects.select_for_update(of=("self",)).select_related("program").get(pk=cycle.pk)
        )
        _check_recruiting(cycle)
        program = cycle.program
        profiles = list(
            roster_mentors(program).filter(pk__in=wanted).select_related("user").order_by("pk")
        )
        if len(profiles) != len(wanted):
            raise RecruitmentError(_("Only mentors on the program's roster can be invited."))
        engaged = {
            engagement.mentor_id: engagement
            for engagement in Engagement.objects.filter(cycle=cycle, mentor__in=wanted)
        }
        priority = priority_mentor_ids(cycle)
        window = priority_window_open(cycle)
        now = timezone.now()
        for profile in profiles:
            if profile.pk in engaged:
                engaged[profile.pk].mentor = profile
                outcome.already.append(engaged[profile.pk])
            elif window and profile.pk not in priority:
                outcome.waiting.append(profile)
            else:
                outcome.invited.append(
                    Engagement(
                        mentor=profile,
                        cycle=cycle,
                        capacity=program.mentor_capacity_max,
                        status=EngagementStatus.INVITED,
                        priority=profile.pk in priority,
                        invited_at=now,
                        invited_by=by,
                    )
                )
        Engagement.objects.bulk_create(outcome.invited)
    for engagement in outcome.invited:
        try:
            send_invitation_email(engagement=engagement)
        except (OSError, smtplib.SMTPException):
            # The invitation stands; the office is told whom to contact instead.
            logger.exception("Invitation e-mail for engagement %s not sent", engagement.pk)
            outcome.unsent.append(engagement)
    return outcome


def invite_new_person(*, cycle, email, name, by):
    """Invite someone by e-mail: make their account, mentor profile and roster
    entry as needed, then invite them like a roster mentor.

    Must hold first: ``by`` coordinates the cycle's program (checked by the
    caller). A new person gets an account without a usable password and an
    e-mail link to choose one. A known address is invited as the roster
    mentor it is (or becomes) when mentorship.reach lets ``by`` attach the
    account to the program; any other is refused without saying why or
    which program. Returns the
    InvitationOutcome of :func:`invite_from_roster`.
    """
    cycle = Cycle.objects.select_related("program").get(pk=cycle.pk)
    _check_recruiting(cycle)
    program = cycle.program
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, full_name=name.strip())
            user.set_unusable_password()
            user.save()
        else:
            if not Reach(by).may_attach(user, program):
                raise RecruitmentError(REFUSAL, field="email")
            if not user.is_active:
                raise RecruitmentError(
                    _("This person's account is deactivated; reactivate it before inviting them."),
                    field="email",
                )
        profile, _made = MentorProfile.objects.get_or_create(
            user=user, defaults={"kind": MentorKind.ENTERPRISE}
        )
        if priority_window_open(cycle) and profile.pk not in priority_mentor_ids(cycle):
            # Checked before anything is kept: a new person cannot have priority.
            raise RecruitmentError(priority_wait_message(cycle), field="email")
        RosterEntry.objects.get_or_create(program=program, user=user, role=RosterRole.MENTOR)
    return invite_from_roster(cycle=cycle, mentors=[profile], by=by)


def respond_to_invitation(*, engagement, accept, capacity=None, by):
    """The mentor accepts (with a capacity) or declines their engagement.

    Must hold first: nothing; checked here: ``by`` is the engagement's mentor,
    the cycle is in setup or selection, the engagement has not ended, an
    accepted capacity is within the program's bounds and not below the
    students already matched, and a mentor with matched students does not
    decline. Answering again changes the answer. Raises RecruitmentError and
    changes nothing otherwise.
    """
    with transaction.atomic():
        engagement = (
            Engagement.objects.select_for_update(of=("self",))
            .select_related("cycle__program", "mentor")
            .get(pk=engagement.pk)
        )
        if engagement.mentor.user_id != by.pk:
            raise RecruitmentError(_("Only the invited mentor can answer this invitation."))
        _check_recruiting(engagement.cycle)
        if engagement.status == EngagementStatus.ENDED:
            raise RecruitmentError(_("This engagement has ended; it can no longer be answered."))
        matched = engagement.matches.count()
        fields = ["status", "responded_at"]
        if accept:
            program = engagement.cycle.program
            low, high = program.mentor_capacity_min, program.mentor_capacity_max
            if capacity is None or not low <= capacity <= high:
                raise RecruitmentError(
                    _("Choose a capacity from %(low)s to %(high)s students.")
                    % {"low": low, "high": high},
                    field="capacity",
                )
            if capacity < matched:
                raise RecruitmentError(
                    _("You already have %(count)s matched students; choose at least that many.")
                    % {"count": matched},
                    field="capacity",
                )
            engagement.status = EngagementStatus.ACCEPTED
            engagement.capacity = capacity
            engagement.contract_start = engagement.contract_start or engagement.cycle.starts_on
            engagement.contract_end = engagement.contract_end or engagement.cycle.ends_on
            fields += ["capacity", "contract_start", "contract_end"]
        else:
            if matched:
                raise RecruitmentError(
                    _(
                        "Students are already matched with you in this cycle; ask the program "
                        "office before you withdraw."
                    )
                )
            engagement.status = EngagementStatus.DECLINED
        engagement.responded_at = timezone.now()
        engagement.save(update_fields=fields)
    return engagement
