"""Opportunities in the admin: coordinators see and correct what mentors
posted in their programs; steering members only look. Posting and the
students' statuses happen on the browser pages."""

from django.contrib import admin

from programs.admin_scoping import (
    CycleListFilter,
    ProgramListFilter,
    ProgramScopedAdmin,
    ScopedInlineMixin,
)

from .models import Opportunity, OpportunityRecipient


class OpportunityRecipientInline(ScopedInlineMixin, admin.TabularInline):
    model = OpportunityRecipient
    fields = ("enrollment", "status", "updated_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__student__user")

    def has_add_permission(self, request, obj):
        return False


@admin.register(Opportunity)
class OpportunityAdmin(ProgramScopedAdmin):
    program_lookup = "cycle__program"
    cycle_lookup = "cycle"
    str_select_related = ("cycle__program", "author__user", "group")
    list_display = ("role", "organisation", "kind", "author", "cycle", "deadline", "created_at")
    list_filter = (ProgramListFilter, CycleListFilter, "kind")
    search_fields = ("role", "organisation", "author__user__full_name")
    fields = (
        "cycle",
        "author",
        "group",
        "kind",
        "organisation",
        "role",
        "link",
        "deadline",
        "note",
        "created_at",
    )
    readonly_fields = ("cycle", "author", "group", "created_at")
    inlines = (OpportunityRecipientInline,)

    def has_add_permission(self, request):
        # Mentors post on their pages, which fix who gets it.
        return False
