"""Mentor and student profiles, rosters and guests in the admin."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs.admin_scoping import NEWEST_FIRST, ProgramListFilter, ProgramScopedAdmin

from .admin_filters import YearOfStudyListFilter
from .admin_import import RosterImportMixin
from .admin_scopes import PersonScopedAdmin, ReachCheckedAdmin
from .models import Guest, MentorProfile, RosterEntry, StudentProfile


class ProfileAdmin(PersonScopedAdmin):
    str_select_related = ("user",)
    search_fields = ("user__full_name", "user__email")
    autocomplete_fields = ("user",)

    @admin.display(description=_("full name"), ordering="user__full_name")
    def full_name(self, obj):
        return obj.user.full_name

    @admin.display(description=_("e-mail address"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("active"), boolean=True, ordering="user__is_active")
    def is_active(self, obj):
        return obj.user.is_active


@admin.register(MentorProfile)
class MentorProfileAdmin(RosterImportMixin, ProfileAdmin):
    list_display = (
        "full_name",
        "email",
        "kind",
        "alumni_degree",
        "organisation",
        "title",
        "industry",
        "discipline",
        "is_active",
    )
    list_filter = (ProgramListFilter, "kind", "alumni_degree", "user__is_active")
    search_fields = (*ProfileAdmin.search_fields, "organisation", "industry", "discipline")
    fieldsets = (
        (None, {"fields": ("user", "kind", "alumni_degree")}),
        (_("Work"), {"fields": ("organisation", "title", "industry", "discipline")}),
        (_("About"), {"fields": ("bio", "languages")}),
    )


@admin.register(StudentProfile)
class StudentProfileAdmin(RosterImportMixin, ProfileAdmin):
    list_display = (
        "full_name",
        "email",
        "student_number",
        "degree_level",
        "major",
        "year",
        "is_active",
    )
    list_filter = (ProgramListFilter, "degree_level", YearOfStudyListFilter, "user__is_active")
    search_fields = (*ProfileAdmin.search_fields, "student_number", "major")
    fields = ("user", "student_number", "degree_level", "major", "year", "interests")


@admin.register(RosterEntry)
class RosterEntryAdmin(ReachCheckedAdmin, ProgramScopedAdmin):
    program_lookup = "program"
    str_select_related = ("user", "program")
    list_display = ("user", "user_email", "program", "role", "added_at")
    list_filter = (ProgramListFilter, "role")
    ordering = NEWEST_FIRST
    search_fields = ("user__full_name", "user__email")
    autocomplete_fields = ("user",)
    readonly_fields = ("added_at",)

    @admin.display(description=_("e-mail address"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email


@admin.register(Guest)
class GuestAdmin(ProgramScopedAdmin):
    program_lookup = "program"
    str_select_related = ("program",)
    list_display = ("name", "organisation", "title", "email", "program")
    list_filter = (ProgramListFilter,)
    search_fields = ("name", "organisation", "title", "email")
