"""Rankings, matching runs and matches in the admin, to look at.

They change only through the matching services (run, adjust, commit), which
keep their rules; the admin never edits them directly.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs.admin_scoping import CycleListFilter, ProgramListFilter, ProgramScopedAdmin

from .models import Match, MatchingRun, MentorPreference, StudentPreference


class ReadOnlyScopedAdmin(ProgramScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MatchingRun)
class MatchingRunAdmin(ReadOnlyScopedAdmin):
    program_lookup = "cycle__program"
    cycle_lookup = "cycle"
    str_select_related = ("cycle__program", "created_by")
    list_display = (
        "cycle",
        "created_at",
        "created_by",
        "status",
        "students_count",
        "matched_count",
        "unmatched_count",
        "first_choice_percent",
        "top3_percent",
        "under_minimum_count",
        "blocking_pairs_count",
    )
    list_filter = (ProgramListFilter, CycleListFilter, "status")
    exclude = ("input_snapshot", "result")

    @admin.display(description=_("first choice"))
    def first_choice_percent(self, run):
        return f"{run.first_choice_share:.0%}"

    @admin.display(description=_("top-3 choice"))
    def top3_percent(self, run):
        return f"{run.top3_share:.0%}"


@admin.register(Match)
class MatchAdmin(ReadOnlyScopedAdmin):
    program_lookup = "engagement__cycle__program"
    cycle_lookup = "engagement__cycle"
    str_select_related = (
        "enrollment__student__user",
        "enrollment__cycle__program",
        "engagement__mentor__user",
        "engagement__cycle__program",
    )
    list_display = ("enrollment", "engagement", "rank", "source", "reason", "published_at")
    list_filter = (ProgramListFilter, CycleListFilter, "source")
    search_fields = (
        "enrollment__student__user__full_name",
        "enrollment__student__student_number",
        "engagement__mentor__user__full_name",
    )


@admin.register(StudentPreference)
class StudentPreferenceAdmin(ReadOnlyScopedAdmin):
    program_lookup = "enrollment__cycle__program"
    cycle_lookup = "enrollment__cycle"
    str_select_related = (
        "enrollment__student__user",
        "enrollment__cycle__program",
        "engagement__mentor__user",
        "engagement__cycle__program",
    )
    list_display = ("enrollment", "rank", "engagement")
    list_filter = (ProgramListFilter, CycleListFilter)
    search_fields = ("enrollment__student__user__full_name", "engagement__mentor__user__full_name")


@admin.register(MentorPreference)
class MentorPreferenceAdmin(ReadOnlyScopedAdmin):
    program_lookup = "engagement__cycle__program"
    cycle_lookup = "engagement__cycle"
    str_select_related = StudentPreferenceAdmin.str_select_related
    list_display = ("engagement", "rank", "acceptable", "enrollment")
    list_filter = (ProgramListFilter, CycleListFilter, "acceptable")
    search_fields = ("enrollment__student__user__full_name", "engagement__mentor__user__full_name")
