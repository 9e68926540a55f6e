"""Activities in the admin: coordinators create them with their invitations
and see who registered, came and how they rated it."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentorship.admin_scopes import ReachCheckedAdmin
from programs.admin_scoping import (
    CycleListFilter,
    ProgramListFilter,
    ProgramScopedAdmin,
    ScopedInlineMixin,
)
from programs.querysets import count_per

from .activities import capacity_changed, record_invitations
from .forms_activities import ACTIVITY_DETAILS
from .models import Activity, ActivityInvitation, Registration, RegistrationStatus


class ActivityInvitationInline(ReachCheckedAdmin, ScopedInlineMixin, admin.TabularInline):
    model = ActivityInvitation
    reach_check = ("user", "activity.cycle.program")
    extra = 1
    fields = ("group", "user")
    autocomplete_fields = ("group", "user")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group", "user")


class RegistrationInline(ScopedInlineMixin, admin.TabularInline):
    """What people answered; changed only by them and the attendance page."""

    model = Registration
    extra = 0
    can_delete = False
    fields = ("user", "status", "position", "attendance", "rating", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Activity)
class ActivityAdmin(ProgramScopedAdmin):
    program_lookup = "cycle__program"
    cycle_lookup = "cycle"
    str_select_related = ("cycle__program", "group")
    list_display = ("title", "kind", "starts_at", "cycle", "group", "capacity", "going_count")
    list_filter = (ProgramListFilter, CycleListFilter, "kind")
    search_fields = ("title", "place", "description")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("group", "guests")
    fields = ("cycle", *ACTIVITY_DETAILS, "group", "guests")
    inlines = (ActivityInvitationInline, RegistrationInline)

    def get_queryset(self, request):
        # A subquery, not a join and GROUP BY: the page counts for its own
        # rows only, and the list's count and date hierarchy read activities
        # alone instead of every registration of every cycle.
        going = Registration.objects.filter(status=RegistrationStatus.GOING)
        return super().get_queryset(request).annotate(going_count=count_per(going, "activity"))

    @admin.display(description=_("going"), ordering="going_count")
    def going_count(self, obj):
        return obj.going_count

    def view_on_site(self, obj):
        return reverse("activity_detail", args=[obj.pk])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            # More places: the first people waiting take them at once.
            capacity_changed(activity=obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is ActivityInvitation and formset.new_objects:
            record_invitations(activity=form.instance, invitations=formset.new_objects)
