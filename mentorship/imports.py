"""Putting imported people on a program's roster, set-based.

The roster import (mentorship.resources) parses and checks every row first,
writing nothing; :func:`save_roster` then writes the whole file in a few
statements per chunk of rows (an INSERT or UPDATE per table), where saving
row by row cost about eight queries a row (an 11,000-row file: minutes).
"""

from dataclasses import dataclass

from .models import (
    Engagement,
    EngagementStatus,
    Enrollment,
    EnrollmentStatus,
    RosterEntry,
    RosterRole,
    User,
)

# Rows per INSERT or UPDATE statement.
CHUNK = 500
PERSON_FIELDS = ("full_name", "preferred_language")


@dataclass(frozen=True)
class Link:
    """How a roster row with a cycle ties its person to the cycle."""

    model: type
    owner: str  # the link's foreign key to the profile
    field: str  # the one value a row may set on it
    role: str
    status: str  # of a new link

    def new(self, *, profile, program, cycle, value):
        # A new engagement without a capacity gets the program's maximum.
        if self.field == "capacity":
            value = value or program.mentor_capacity_max
        return self.model(
            **{self.owner: profile, self.field: value}, cycle=cycle, status=self.status
        )


MENTOR_LINK = Link(Engagement, "mentor", "capacity", RosterRole.MENTOR, EngagementStatus.INVITED)
STUDENT_LINK = Link(
    Enrollment, "student", "statement", RosterRole.STUDENT, EnrollmentStatus.APPLIED
)


def profile_fields(model):
    """The profile's own columns, which a row may change."""
    return [f.name for f in model._meta.concrete_fields if f.name not in ("id", "user")]


def save_roster(*, link, profiles, changed, placements):
    """Save ``profiles`` (one per person, each with its ``user``) and place
    them: ``placements`` are (profile, program, cycle or None, value) tuples,
    ``value`` being the row's capacity or statement (empty: keep the stored
    one). Saved people and profiles are written only when their e-mail
    address is in ``changed``.

    Must hold first: every row was checked (mentorship.resources) and the
    caller runs this in a transaction, so that a clash (an IntegrityError,
    someone saved meanwhile) takes all of it back. An existing link keeps
    its status; its value changes only when the row gives one.
    """
    _save_people(profiles, changed)
    roster = {
        (program.pk, profile.user.pk): RosterEntry(
            program=program, user=profile.user, role=link.role
        )
        for profile, program, _cycle, _value in placements
    }
    RosterEntry.objects.bulk_create(roster.values(), batch_size=CHUNK, ignore_conflicts=True)
    _save_links(link, [p for p in placements if p[2] is not None])


def _save_people(profiles, changed):
    new_users = [p.user for p in profiles if p.user.pk is None]
    saved_users = [p.user for p in profiles if p.user.pk is not None]
    for user in new_users:
        user.email = User.objects.normalize_email(user.email).lower()
        # Imported people choose their own password through the reset or
        # invitation e-mail; nobody ever knows one for them.
        user.set_unusable_password()
    User.objects.bulk_create(new_users, batch_size=CHUNK)
    User.objects.bulk_update(
        [user for user in saved_users if user.email.lower() in changed],
        PERSON_FIELDS,
        batch_size=CHUNK,
    )
    model = type(profiles[0]) if profiles else None
    if model is None:
        return
    for profile in profiles:
        # Assigned again to take the new person's id (setting user_id alone
        # would drop the cached person, and each later read would query it).
        profile.user = profile.user
    # Updates first: a student number one row frees may be another's new one.
    model.objects.bulk_update(
        [p for p in profiles if p.pk is not None and p.user.email.lower() in changed],
        profile_fields(model),
        batch_size=CHUNK,
    )
    model.objects.bulk_create([p for p in profiles if p.pk is None], batch_size=CHUNK)


def _save_links(link, placements):
    cycles = {cycle.pk for _profile, _program, cycle, _value in placements}
    owner_id = f"{link.owner}_id"
    stored = {
        (getattr(item, owner_id), item.cycle_id): item
        for item in link.model.objects.filter(cycle__in=cycles).only(
            "pk", owner_id, "cycle_id", link.field
        )
    }
    new, changed = [], []
    for profile, program, cycle, value in placements:
        current = stored.get((profile.pk, cycle.pk))
        if current is None:
            new.append(link.new(profile=profile, program=program, cycle=cycle, value=value))
        elif value and getattr(current, link.field) != value:
            setattr(current, link.field, value)
            changed.append(current)
    link.model.objects.bulk_create(new, batch_size=CHUNK)
    link.model.objects.bulk_update(changed, [link.field], batch_size=CHUNK)
