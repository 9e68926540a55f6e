"""Logging, changing, confirming and disputing meetings.

Stage rules: mentors log and change meetings while the cycle is in kick-off
or process tracking, when the mentoring happens; students may still answer
during the final evaluation, so a meeting logged on the last day of tracking
can count. Only confirmed meetings count towards the communication record.

Changing what a student confirmed (date, duration, mode, topics, summary,
next steps) sets every answered participant back to pending and asks them
again by e-mail: a confirmation holds only for the record as it was read.
E-mails are sent by Celery tasks (sessions_app.tasks) once the change is
committed, each to a person once however often the task runs.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    Group,
    GroupMembership,
    GroupRole,
    StudentProfile,
)
from mentorship.publishing import published_matches
from programs.models import Cycle, Program, Stage
from programs.tasks_util import enqueue

from . import tasks
from .models import Meeting, MeetingParticipant, ParticipantStatus

LOGGING_STAGES = (Stage.KICK_OFF, Stage.TRACKING)
ANSWER_STAGES = (Stage.KICK_OFF, Stage.TRACKING, Stage.EVALUATION)
RECORD_FIELDS = ("starts_at", "duration_minutes", "mode", "topics", "summary", "next_steps")


def coached_groups(*, mentor, cycle):
    """Groups of ``cycle`` in which ``mentor`` is a chief, leading coach or coach."""
    return Group.objects.filter(cycle=cycle, memberships__mentor=mentor).distinct()


def allowed_students(*, mentor, cycle, group=None):
    """Students ``mentor`` may log a meeting with in ``cycle``, still enrolled:
    without ``group`` (a one-to-one meeting) their own published mentees only;
    with ``group``, that group's published students if the mentor coaches it.
    Another mentor's mentee met in a shared team is a group meeting."""
    if group is None:
        mentees = published_matches().filter(
            engagement__mentor=mentor,
            engagement__cycle=cycle,
            engagement__status=EngagementStatus.ACCEPTED,
        )
        related = Q(pk__in=mentees.values("enrollment__student"))
    else:
        groups = coached_groups(mentor=mentor, cycle=cycle).filter(pk=group.pk)
        in_group = GroupMembership.objects.filter(
            group__in=groups.values("pk"), role=GroupRole.STUDENT, published_at__isnull=False
        ).values("student")
        related = Q(pk__in=in_group)
    enrolled = Enrollment.objects.filter(cycle=cycle).active().values("student")
    return StudentProfile.objects.filter(related, pk__in=enrolled).select_related("user")


def loggable_cycles(*, mentor):
    """Cycles in which ``mentor`` may log meetings now, newest first."""
    # Two indexed id sets rather than an OR across joins with DISTINCT, which
    # joined every engagement and membership of the running cycles.
    engaged = Engagement.objects.filter(mentor=mentor, status=EngagementStatus.ACCEPTED).values(
        "cycle_id"
    )
    coaching = GroupMembership.objects.filter(mentor=mentor).values("group__cycle_id")
    return (
        Cycle.objects.filter(stage__in=LOGGING_STAGES)
        .filter(Q(pk__in=engaged) | Q(pk__in=coaching))
        .select_related("program")
        .order_by("-starts_on", "pk")
    )


def edit_closes_at(meeting):
    """When the author's right to change ``meeting`` ends (needs the cycle's program)."""
    return meeting.created_at + datetime.timedelta(days=meeting.cycle.program.meeting_edit_days)


def author_edit_refusal(meeting, now=None):
    """Why the author may not change ``meeting`` now, or None."""
    now = now or timezone.now()
    if meeting.cycle.stage not in LOGGING_STAGES:
        return _("The cycle is in its %(stage)s stage: meetings can no longer be changed.") % {
            "stage": meeting.cycle.get_stage_display()
        }
    if now > edit_closes_at(meeting):
        return _(
            "Meetings can be changed for %(days)s days after they are logged. "
            "Ask the program office to correct this one."
        ) % {"days": meeting.cycle.program.meeting_edit_days}
    return None


def check_record(meeting):
    """The record's own rules: the model's validators and constraints, and a
    date inside the cycle and not in the future (a meeting is logged after it
    took place)."""
    meeting.full_clean(exclude=["cycle", "author", "group"])
    local = timezone.localtime(meeting.starts_at)
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            {"starts_at": _("A meeting is logged once it has taken place: choose a past time.")}
        )
    if local.date() < meeting.cycle.starts_on:
        raise ValidationError(
            {
                "starts_at": _("The cycle starts on %(date)s; choose a later date.")
                % {"date": meeting.cycle.starts_on.isoformat()}
            }
        )


def _check_students(*, mentor, cycle, group, students):
    if not students:
        raise ValidationError({"students": _("Choose at least one student.")})
    allowed = set(
        allowed_students(mentor=mentor, cycle=cycle, group=group).values_list("pk", flat=True)
    )
    if not {student.pk for student in students} <= allowed:
        if group is None:
            message = _(
                "A meeting without a group is with your own mentees only; "
                "choose the group for the students of a group."
            )
        else:
            message = _("Only the students of the chosen group can be in this meeting.")
        raise ValidationError({"students": message})


def _check_group(*, mentor, cycle, group):
    if (
        group is not None
        and not coached_groups(mentor=mentor, cycle=cycle).filter(pk=group.pk).exists()
    ):
        raise ValidationError({"group": _("Choose one of your groups in this cycle.")})


def log_meeting(
    *,
    mentor,
    cycle,
    starts_at,
    duration_minutes,
    mode,
    topics,
    summary,
    students,
    next_steps="",
    group=None,
    by,
):
    """Log a meeting of ``mentor`` with ``students`` in ``cycle``; returns it.

    Must hold first: ``by`` is the mentor's own account. Refused with a
    ValidationError (keyed by field) outside kick-off and tracking, for a
    student not in :func:`allowed_students` (without ``group`` the mentor's own
    published mentees, with it that group's published students), and for a
    bad record. Each student is asked by e-mail to confirm.
    """
    if by.pk != mentor.user_id:
        raise PermissionDenied
    if cycle.stage not in LOGGING_STAGES:
        raise ValidationError(
            _("Meetings are logged during the kick-off and process tracking stages.")
        )
    meeting = Meeting(
        cycle=cycle,
        author=mentor,
        group=group,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        topics=list(topics),
        summary=summary,
        next_steps=next_steps,
    )
    check_record(meeting)
    _check_group(mentor=mentor, cycle=cycle, group=group)
    _check_students(mentor=mentor, cycle=cycle, group=group, students=students)
    with transaction.atomic():
        meeting.save()
        participants = MeetingParticipant.objects.bulk_create(
            MeetingParticipant(meeting=meeting, student=student) for student in students
        )
        ids = [participant.pk for participant in participants]
        enqueue(tasks.send_confirmation_requests_task, participant_ids=ids)
    return meeting


def edit_meeting(*, meeting, by, students=None, **changes):
    """Change ``meeting``'s record (``changes`` among RECORD_FIELDS and
    ``group``) and, for its author, its ``students``; returns the meeting.

    Must hold first: ``meeting`` comes with its cycle and program. The author
    may change it within the program's edit window while the cycle is in
    kick-off or tracking; after that only a coordinator of the program (the
    admin) may, until the cycle closes. Anyone else: PermissionDenied. A
    changed record sets answered participants back to pending; removed
    students lose their participation; everyone asked is mailed.
    """
    is_author = by.pk == meeting.author.user_id
    cycle = meeting.cycle
    coordinates = Program.objects.coordinated_by(by).filter(pk=cycle.program_id).exists()
    if is_author and (reason := author_edit_refusal(meeting)) and not coordinates:
        raise ValidationError(reason)
    if not is_author and not coordinates:
        raise PermissionDenied
    if cycle.stage == Stage.CLOSED:
        raise ValidationError(_("The cycle is closed: its meetings can no longer be changed."))
    unknown = set(changes) - set(RECORD_FIELDS) - {"group"}
    if unknown:
        raise TypeError(f"edit_meeting() got unexpected fields {sorted(unknown)}")
    before = {name: getattr(meeting, name) for name in (*RECORD_FIELDS, "group_id")}
    for name, value in changes.items():
        setattr(meeting, name, list(value) if name == "topics" else value)
    check_record(meeting)
    regrouped = meeting.group_id != before["group_id"]
    if regrouped:
        _check_group(mentor=meeting.author, cycle=cycle, group=meeting.group)
    changed = [name for name in RECORD_FIELDS if getattr(meeting, name) != before[name]]
    with transaction.atomic():
        asked = []
        if students is not None:
            asked += _replace_students(meeting=meeting, students=students)
        if changed:
            asked += _reset_answers(meeting=meeting)
        fields = changed + (["group"] if regrouped else [])
        if fields or asked:
            meeting.save(update_fields=[*fields, "updated_at"])
        if asked:
            enqueue(tasks.send_confirmation_requests_task, participant_ids=asked, changed=True)
    return meeting


def _replace_students(*, meeting, students):
    """Make ``students`` the meeting's participants; returns the new participants' ids."""
    _check_students(
        mentor=meeting.author, cycle=meeting.cycle, group=meeting.group, students=students
    )
    wanted = {student.pk for student in students}
    current = set(meeting.participants.values_list("student_id", flat=True))
    meeting.participants.exclude(student__in=wanted).delete()
    added = MeetingParticipant.objects.bulk_create(
        MeetingParticipant(meeting=meeting, student_id=pk) for pk in sorted(wanted - current)
    )
    return [participant.pk for participant in added]


def _reset_answers(*, meeting):
    answered = meeting.participants.exclude(status=ParticipantStatus.PENDING)
    ids = list(answered.values_list("pk", flat=True))
    answered.update(status=ParticipantStatus.PENDING, comment="", answered_at=None)
    return ids


def _answer(*, participant, status, comment, by):
    if by.pk != participant.student.user_id:
        raise PermissionDenied
    if participant.meeting.cycle.stage not in ANSWER_STAGES:
        raise ValidationError(_("The cycle has moved on: meetings can no longer be answered."))
    participant.status = status
    participant.comment = comment.strip()
    participant.answered_at = timezone.now()
    participant.save(update_fields=["status", "comment", "answered_at"])
    return participant


def confirm_meeting(*, participant, comment="", by):
    """The student confirms the mentor's record of the meeting.

    Must hold first: ``participant`` comes with its student, meeting and
    cycle. Only the student may answer (else PermissionDenied), from kick-off
    to the final evaluation; an earlier answer is replaced.
    """
    return _answer(
        participant=participant, status=ParticipantStatus.CONFIRMED, comment=comment, by=by
    )


def dispute_meeting(*, participant, comment, by):
    """The student says the record is wrong, and why; the mentor is told.

    Must hold first: as for :func:`confirm_meeting`. An empty comment is
    refused with a ValidationError on ``comment``.
    """
    if not comment.strip():
        raise ValidationError({"comment": _("Say what is wrong with the record.")})
    with transaction.atomic():
        participant = _answer(
            participant=participant, status=ParticipantStatus.DISPUTED, comment=comment, by=by
        )
        enqueue(tasks.send_dispute_notice_task, participant_id=participant.pk)
    return participant


def confirmed_meetings_for(enrollment):
    """The meetings of ``enrollment``'s cycle its student confirmed, oldest
    first: what the communication record is compiled from."""
    return (
        Meeting.objects.filter(
            cycle=enrollment.cycle_id,
            participants__student=enrollment.student_id,
            participants__status=ParticipantStatus.CONFIRMED,
        )
        .select_related("author__user", "group")
        .order_by("starts_at", "pk")
    )
