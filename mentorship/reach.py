"""Whose existing account a person may attach to a program, and whose password
and e-mail address they may change: the one rule behind every path that
could reach a person of another program (roster import, invitation by
e-mail, admin forms with a person chooser, the people admin).

A person belongs to every program whose roster they are on, in which they
hold a staff role, or in whose cycles they are engaged as a mentor or
enrolled as a student (:data:`MEMBERSHIPS`). An account is *within reach* of
``by`` when ``by`` is a superuser, or when the account is not a staff or
superuser account, belongs to at least one program, and ``by`` coordinates
every program it belongs to: nothing ``by`` does to it then touches a
program that is not theirs.

- Attaching an existing account to program P is allowed when the account
  already belongs to P or is within reach; otherwise it is refused with
  :data:`REFUSAL`, which names no program. New accounts may always be made.
- Changing an account's password or e-mail address, or deactivating it, is
  allowed to the person themselves, a superuser, or ``by`` when the account
  is within reach. Anyone
  who may see the person can still have a password reset link sent to the
  person's own address.
"""

from functools import cached_property

from django.utils.translation import gettext_lazy

from programs.models import Program

from .models import Engagement, Enrollment, RosterEntry, StaffRole

# (model, path to the person's user id, path to the program id)
MEMBERSHIPS = (
    (RosterEntry, "user_id", "program_id"),
    (StaffRole, "user_id", "program_id"),
    (Engagement, "mentor__user_id", "cycle__program_id"),
    (Enrollment, "student__user_id", "cycle__program_id"),
)

REFUSAL = gettext_lazy(
    "This e-mail address belongs to an account that cannot be added from here. "
    "Ask an operator to put the person on this program's roster."
)


def programs_of(user_ids):
    """{user id: frozenset of the ids of the programs they belong to} for
    every id in ``user_ids`` (a list, or a queryset of ids); one query per
    kind of membership however many people."""
    found = {}
    for model, user_path, program_path in MEMBERSHIPS:
        pairs = model.objects.filter(**{f"{user_path}__in": user_ids}).values_list(
            user_path, program_path
        )
        for user_id, program_id in pairs:
            found.setdefault(user_id, set()).add(program_id)
    return found


class Reach:
    """The rule above, as seen by ``by``. Remembers each person's programs,
    so one instance serves a whole import or form; :meth:`load` looks many
    people up at once."""

    def __init__(self, by):
        self.by = by
        self._programs = {}

    @cached_property
    def coordinated(self):
        return frozenset(Program.objects.coordinated_by(self.by).values_list("pk", flat=True))

    def load(self, user_ids):
        """Look up the programs of everyone in ``user_ids`` in one go."""
        found = programs_of(user_ids)
        for user_id in user_ids:
            self._programs[user_id] = frozenset(found.get(user_id, ()))

    def loaded(self):
        """{user id: program ids} of everyone looked up so far."""
        return dict(self._programs)

    def programs(self, user):
        """Ids of the programs the saved account ``user`` belongs to."""
        if user.pk not in self._programs:
            self.load([user.pk])
        return self._programs[user.pk]

    def within(self, user):
        if self.by.is_superuser:
            return True
        if user.is_staff or user.is_superuser:
            return False
        programs = self.programs(user)
        return bool(programs) and programs <= self.coordinated

    def may_attach(self, user, program):
        """Whether ``by`` may put ``user`` (saved or new) into ``program``.
        Must hold first: ``by`` may change ``program`` (the caller checks)."""
        return user.pk is None or program.pk in self.programs(user) or self.within(user)

    def may_change_credentials(self, user):
        """Whether ``by`` may set the saved account ``user``'s password or e-mail."""
        return user.pk == self.by.pk or self.within(user)
