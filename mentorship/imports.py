"""Putting imported people on a program's roster.

The roster import (mentorship.resources) parses and checks each row; these
functions only write. They run inside the import's transaction, so a row that
fails later takes everything written here back with it.
"""

from .models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    RosterEntry,
    RosterRole,
    User,
)


def _save_person(user):
    if user.pk is None:
        user.email = User.objects.normalize_email(user.email).lower()
        # Imported people choose their own password through the reset or
        # invitation e-mail; nobody ever knows one for them.
        user.set_unusable_password()
    user.save()
    return user


def _check_cycle(program, cycle):
    if cycle is not None and cycle.program_id != program.pk:
        raise ValueError(f"Cycle {cycle.pk} is not a cycle of program {program.pk}.")


def save_mentor(*, profile, program, cycle=None, capacity=None):
    """Save ``profile`` and its person, put them on ``program``'s roster and,
    with a ``cycle``, engage them for it.

    An existing engagement keeps its status; its capacity changes only when
    ``capacity`` is given. A new one is invited at ``capacity``, or at the
    program's maximum.
    """
    _check_cycle(program, cycle)
    profile.user = _save_person(profile.user)
    profile.save()
    RosterEntry.objects.get_or_create(program=program, user=profile.user, role=RosterRole.MENTOR)
    if cycle is None:
        return None
    engagement, created = Engagement.objects.get_or_create(
        mentor=profile,
        cycle=cycle,
        defaults={
            "capacity": capacity or program.mentor_capacity_max,
            "status": EngagementStatus.INVITED,
        },
    )
    if not created and capacity and engagement.capacity != capacity:
        engagement.capacity = capacity
        engagement.save(update_fields=["capacity"])
    return engagement


def save_student(*, profile, program, cycle=None, statement=""):
    """Save ``profile`` and its person, put them on ``program``'s roster and,
    with a ``cycle``, enroll them in it as applied.

    An existing enrollment keeps its status; its statement changes only when
    ``statement`` is given.
    """
    _check_cycle(program, cycle)
    profile.user = _save_person(profile.user)
    profile.save()
    RosterEntry.objects.get_or_create(program=program, user=profile.user, role=RosterRole.STUDENT)
    if cycle is None:
        return None
    enrollment, created = Enrollment.objects.get_or_create(
        student=profile,
        cycle=cycle,
        defaults={"status": EnrollmentStatus.APPLIED, "statement": statement},
    )
    if not created and statement and enrollment.statement != statement:
        enrollment.statement = statement
        enrollment.save(update_fields=["statement"])
    return enrollment
