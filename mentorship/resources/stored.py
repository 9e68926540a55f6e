"""What a roster import reads of the database, loaded once for the whole
file: the importer's programs and cycles, the people the file names with
their profiles and programs, and the links of its cycles. Rows then read
these (and what earlier rows made of them) instead of querying, and the
state digest lets the confirm step see whether any of it changed since the
preview."""

import hashlib
from copy import copy

from django.db.models.functions import Upper

from programs.models import Cycle, Program

from ..imports import PERSON_FIELDS, profile_fields
from ..models import User


def copy_profile(profile):
    twin = copy(profile)
    twin.user = copy(profile.user)
    return twin


class StoredState:
    """For RosterResource: ``program_ids``, ``reach`` and ``link`` are its."""

    def load_programs(self):
        programs = Program.objects.all()
        if self.program_ids is not None:
            programs = programs.filter(pk__in=self.program_ids)
        self.programs = {program.name.casefold(): program for program in programs}
        self.cycles = {
            (cycle.program_id, cycle.name.casefold()): cycle
            for cycle in Cycle.objects.filter(program__in=programs)
        }

    def load_people(self, emails):
        """Everyone the file names who has an account, with this roster's
        profile where they have one: two queries for the whole file, where a
        lookup per row cost two per row. Rows read copies (:meth:`known`), and
        each saved row replaces its person's entry, so a later row of the same
        person sees what the database would now answer. Also loads their
        programs, for :meth:`reach` to judge each row without a query."""
        # Upper, as email__iexact compiles on PostgreSQL: the index the users
        # table has for case-insensitive lookups serves both.
        addresses = {email.upper() for email in emails}
        known = list(User.objects.annotate(address=Upper("email")).filter(address__in=addresses))
        self.reach.load([user.pk for user in known])
        # First in the order a single lookup's .first() would have taken.
        self.known_users, self.known_profiles = {}, {}
        for user in known:
            self.known_users.setdefault(user.email.lower(), user)
        profiles = self._meta.model.objects.select_related("user").filter(user__in=known)
        for profile in profiles if profiles.ordered else profiles.order_by("pk"):
            self.known_profiles.setdefault(profile.user.email.lower(), profile)
        self.stored_values = {
            email: self.values_of(self.known_profiles.get(email) or self._meta.model(user=user))
            for email, user in self.known_users.items()
        }

    def known(self, email):
        """(profile, person) stored for ``email``, as copies the row may
        change freely; None for what is not stored."""
        profile = self.known_profiles.get(email.lower())
        if profile is not None:
            profile = copy_profile(profile)
            return profile, profile.user
        user = self.known_users.get(email.lower())
        return None, copy(user) if user is not None else None

    def remember(self, profile):
        """``profile`` and its person as saved: what later rows find for them."""
        saved = copy_profile(profile)
        self.known_users[saved.user.email.lower()] = saved.user
        self.known_profiles[saved.user.email.lower()] = saved

    def load_links(self, rows):
        """The stored links (engagements or enrollments) of the file's
        cycles, by (profile id, cycle id): one query for the whole file."""
        cycles = {
            cycle.pk
            for row in rows
            if (program := self.programs.get(row["program"].casefold()))
            and (cycle := self.cycles.get((program.pk, row["cycle"].casefold())))
        }
        owner = f"{self.link.owner}_id"
        self.stored_links = {
            (values[owner], values["cycle_id"]): values[self.link.field]
            for values in self.link.model.objects.filter(cycle__in=cycles).values(
                owner, "cycle_id", self.link.field
            )
        }

    @staticmethod
    def values_of(profile):
        """What an import may change of ``profile`` and its person."""
        user = profile.user
        return (
            tuple(getattr(user, name) for name in PERSON_FIELDS),
            tuple(getattr(profile, name) for name in profile_fields(type(profile))),
        )

    def state_digest(self):
        """A fingerprint of everything stored that the checks read: the
        confirm step refuses to write when it differs from the preview's."""
        people = sorted(
            (user.pk, user.email, user.is_staff, user.is_superuser, self.stored_values[email])
            for email, user in self.known_users.items()
        )
        profiles = sorted(p.pk for p in self.known_profiles.values())
        programs = sorted(
            (p.pk, p.name, p.mentor_capacity_min, p.mentor_capacity_max)
            for p in self.programs.values()
        )
        state = (
            people,
            profiles,
            sorted((pk, sorted(ids)) for pk, ids in self.reach.loaded().items()),
            programs,
            sorted((c.pk, c.name, c.is_closed) for c in self.cycles.values()),
            sorted(self.stored_links.items()),
            self.extra_state(),
        )
        return hashlib.sha256(repr(state).encode()).hexdigest()

    def extra_state(self):
        return ()
