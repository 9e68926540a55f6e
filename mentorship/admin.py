"""Per-cycle contracts, enrollments and groups in the admin.

People, staff roles, rosters and guests live in admin_users and admin_people;
importing them here registers them.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from programs.admin_scoping import (
    CycleListFilter,
    ProgramListFilter,
    ProgramScopedAdmin,
    ScopedInlineMixin,
)

from . import admin_matching, admin_people, admin_users  # noqa: F401
from .admin_filters import MatchedListFilter
from .admin_recruitment import RecruitmentAdminMixin
from .models import Engagement, Enrollment, Group, GroupMembership


class CycleScopedAdmin(ProgramScopedAdmin):
    program_lookup = "cycle__program"
    cycle_lookup = "cycle"


@admin.register(Engagement)
class EngagementAdmin(RecruitmentAdminMixin, CycleScopedAdmin):
    str_select_related = ("mentor__user", "cycle__program")
    list_display = (
        "mentor",
        "cycle",
        "capacity",
        "status",
        "priority",
        "contract_start",
        "contract_end",
    )
    list_filter = (ProgramListFilter, CycleListFilter, "status", "priority", "rated_excellent")
    search_fields = ("mentor__user__full_name", "mentor__user__email", "mentor__organisation")
    autocomplete_fields = ("mentor",)
    fields = (
        "mentor",
        "cycle",
        "capacity",
        "status",
        "priority",
        "rated_excellent",
        "contract_start",
        "contract_end",
        "invited_at",
        "invited_by",
        "responded_at",
    )
    # Written by the recruitment services; shown so the office can follow up.
    readonly_fields = ("invited_at", "invited_by", "responded_at")


@admin.register(Enrollment)
class EnrollmentAdmin(CycleScopedAdmin):
    str_select_related = ("student__user", "cycle__program")
    list_display = ("student", "cycle", "status", "created_at")
    list_filter = (ProgramListFilter, CycleListFilter, "status", MatchedListFilter)
    search_fields = (
        "student__user__full_name",
        "student__user__email",
        "student__student_number",
    )
    autocomplete_fields = ("student",)
    fields = ("student", "cycle", "status", "statement")


class GroupMembershipInline(ScopedInlineMixin, admin.TabularInline):
    model = GroupMembership
    extra = 0
    fields = ("role", "mentor", "student")
    autocomplete_fields = ("mentor", "student")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mentor__user", "student__user")


@admin.register(Group)
class GroupAdmin(CycleScopedAdmin):
    str_select_related = ("cycle__program",)
    list_display = (
        "name",
        "kind",
        "cycle",
        "focus",
        "sponsoring_organisation",
        "member_count",
    )
    list_filter = (ProgramListFilter, CycleListFilter, "kind")
    search_fields = ("name", "focus", "sponsoring_organisation")
    fields = ("cycle", "kind", "name", "focus", "sponsoring_organisation", "description")
    inlines = (GroupMembershipInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(GroupMembership)
class GroupMembershipAdmin(ProgramScopedAdmin):
    program_lookup = "group__cycle__program"
    cycle_lookup = "group__cycle"
    str_select_related = ("group__cycle__program", "mentor__user", "student__user")
    list_display = ("group", "cycle", "role", "mentor", "student", "joined_at")
    list_filter = (ProgramListFilter, CycleListFilter, "role")
    search_fields = (
        "group__name",
        "mentor__user__full_name",
        "mentor__user__email",
        "student__user__full_name",
        "student__user__email",
        "student__student_number",
    )
    autocomplete_fields = ("group", "mentor", "student")
    fields = ("group", "role", "mentor", "student")

    @admin.display(description=_("cycle"), ordering="group__cycle")
    def cycle(self, obj):
        return obj.group.cycle
