"""The roster export: one row per person, program and cycle, as the import
reads them, in a constant number of queries."""

from copy import copy

from ..admin_scopes import people_in_programs
from ..models import RosterEntry

# Profiles fetched per round trip of the export's cursor.
EXPORT_CHUNK = 2000


class RosterExport:
    """For RosterResource: ``role``, ``link`` and ``program_ids`` are its."""

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        return super().export(queryset=self.with_placements(queryset), **kwargs)

    def with_placements(self, queryset):
        """``queryset`` within the importer's programs, with the roster
        entries and links its rows show (read by :meth:`iter_queryset`)."""
        roster = RosterEntry.objects.filter(role=self.role)
        links = self.link.model.objects.all()
        if self.program_ids is not None:
            queryset = queryset.filter(people_in_programs(self.program_ids, "user"))
            roster = roster.filter(program__in=self.program_ids)
            links = links.filter(cycle__program__in=self.program_ids)
        people = queryset.order_by()
        # Names and values only: a model instance per entry and link (and per
        # program and cycle of each) took half of an 11,000-student export.
        self.export_roster = roster.filter(user__in=people.values("user_id")).values_list(
            "user_id", "program__name"
        )
        self.export_links = links.filter(
            **{f"{self.link.owner}__in": people.values("pk")}
        ).values_list(
            f"{self.link.owner}_id", "cycle__program__name", "cycle__name", self.link.field
        )
        return queryset.select_related("user")

    def iter_queryset(self, queryset):
        # Three queries whatever the size: the placements of everyone
        # exported, then the profiles streamed in chunks through one cursor.
        # (import-export's default prefetched per page of 100 with OFFSET
        # paging: the query count grew with the students, each page slower.)
        roster, links = {}, {}
        for user_id, program in self.export_roster:
            roster.setdefault(user_id, []).append(program)
        for owner_id, *link in self.export_links:
            links.setdefault(owner_id, []).append(link)
        for profile in queryset.iterator(chunk_size=EXPORT_CHUNK):
            yield from self.placement_rows(
                profile, roster.get(profile.user_id, ()), links.get(profile.pk, ())
            )

    def placement_rows(self, profile, programs, links):
        """One row per program and cycle, as the import reads them:
        ``programs`` are the names of the person's roster programs, ``links``
        (program name, cycle name, capacity or statement) their cycles."""
        by_program = {program: [] for program in programs}
        for program, cycle, value in links:
            by_program.setdefault(program, []).append((cycle, value))
        for program in sorted(by_program) or [""]:
            for cycle, value in by_program.get(program) or [("", None)]:
                row = copy(profile)
                row.roster_program = program
                row.roster_cycle = cycle
                self.export_link(row, value)
                yield row
