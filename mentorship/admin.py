"""Per-cycle contracts, enrollments and groups in the admin.

People, staff roles, rosters and guests live in admin_users and admin_people;
importing them here registers them.
"""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.admin_scoping import (
    CycleListFilter,
    ProgramListFilter,
    ProgramScopedAdmin,
    ScopedInlineMixin,
)
from programs.querysets import count_per

from . import (  # noqa: F401
    admin_ledger,
    admin_matching,
    admin_opportunities,
    admin_people,
    admin_users,
)
from .admin_filters import MatchedListFilter
from .admin_recruitment import RecruitmentAdminMixin
from .admin_scopes import ReachCheckedAdmin
from .admin_teams import TeamsAdminMixin
from .forms_groups import GroupAdminForm, GroupMembershipAdminForm, GroupMembershipInlineFormSet
from .group_rules import check_group
from .models import LEADER_ROLES, Engagement, Enrollment, Group, GroupMembership


class CycleScopedAdmin(ProgramScopedAdmin):
    program_lookup = "cycle__program"
    cycle_lookup = "cycle"


@admin.register(Engagement)
class EngagementAdmin(ReachCheckedAdmin, RecruitmentAdminMixin, CycleScopedAdmin):
    reach_check = ("mentor.user", "cycle.program")
    str_select_related = ("mentor__user", "cycle__program")
    # Newest first along the primary key: an index walk that stops after a
    # page, where the model's ordering sorted every row of 13 cycles by names
    # joined from other tables.
    ordering = ("-pk",)
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
class EnrollmentAdmin(ReachCheckedAdmin, CycleScopedAdmin):
    reach_check = ("student.user", "cycle.program")
    str_select_related = ("student__user", "cycle__program")
    ordering = EngagementAdmin.ordering
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
    formset = GroupMembershipInlineFormSet
    extra = 0
    fields = ("role", "mentor", "student", "published_at")
    # Set on creation, or by publishing a group run's placements.
    readonly_fields = ("published_at",)
    autocomplete_fields = ("mentor", "student")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("mentor__user", "student__user")


@admin.register(Group)
class GroupAdmin(TeamsAdminMixin, CycleScopedAdmin):
    """Groups with their members in one inline (chief, leading coaches, coaches
    and students, one row each); the program's group rules are checked there."""

    form = GroupAdminForm
    str_select_related = ("cycle__program",)
    ordering = EngagementAdmin.ordering
    list_display = (
        "name",
        "kind",
        "cycle",
        "focus",
        "sponsoring_organisation",
        "leaders",
        "coach_count",
        "student_count",
    )
    list_filter = (ProgramListFilter, CycleListFilter, "kind")
    search_fields = ("name", "focus", "sponsoring_organisation")
    fields = (
        "cycle",
        "kind",
        "name",
        "focus",
        "sponsoring_organisation",
        "description",
        "capacity",
        "guests",
    )
    autocomplete_fields = ("guests",)
    inlines = (GroupMembershipInline,)

    def get_queryset(self, request):
        leaders = GroupMembership.objects.filter(role__in=LEADER_ROLES).select_related(
            "mentor__user"
        )
        return (
            super()
            .get_queryset(request)
            # Per row shown, not a join and GROUP BY over every membership.
            .annotate(
                coach_count=count_per(
                    GroupMembership.objects.filter(mentor__isnull=False), "group"
                ),
                student_count=count_per(
                    GroupMembership.objects.filter(student__isnull=False), "group"
                ),
            )
            .prefetch_related(Prefetch("memberships", leaders, to_attr="leader_memberships"))
        )

    @admin.display(description=_("chief or leading coaches"))
    def leaders(self, obj):
        return ", ".join(str(m.mentor) for m in obj.leader_memberships) or "–"

    @admin.display(description=_("coaches"), ordering="coach_count")
    def coach_count(self, obj):
        return obj.coach_count

    @admin.display(description=_("students"), ordering="student_count")
    def student_count(self, obj):
        return obj.student_count

    def view_on_site(self, obj):
        return reverse("group_detail", args=[obj.pk])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Minimums not reached yet do not block a group being formed; say so.
        for problem in check_group(group=form.instance):
            messages.warning(request, problem.message)


@admin.register(GroupMembership)
class GroupMembershipAdmin(ProgramScopedAdmin):
    form = GroupMembershipAdminForm
    program_lookup = "group__cycle__program"
    cycle_lookup = "group__cycle"
    str_select_related = ("group__cycle__program", "mentor__user", "student__user")
    ordering = EngagementAdmin.ordering
    list_display = ("group", "cycle", "role", "mentor", "student", "joined_at", "published_at")
    list_filter = (
        ProgramListFilter,
        CycleListFilter,
        "role",
        ("published_at", admin.EmptyFieldListFilter),
    )
    search_fields = (
        "group__name",
        "mentor__user__full_name",
        "mentor__user__email",
        "student__user__full_name",
        "student__user__email",
        "student__student_number",
    )
    autocomplete_fields = ("group", "mentor", "student")
    fields = ("group", "role", "mentor", "student", "published_at")
    readonly_fields = ("published_at",)

    @admin.display(description=_("cycle"), ordering="group__cycle")
    def cycle(self, obj):
        return obj.group.cycle
