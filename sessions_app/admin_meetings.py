"""Meetings in the admin, scoped to the person's programs.

Coordinators read every meeting of their programs and correct one after the
mentor's edit window has closed; the change goes through ``edit_meeting``, so
the students are asked to confirm again. Meetings are logged by mentors only
and never deleted here: the communication record is evidence.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from programs.admin_scoping import (
    CycleListFilter,
    ProgramListFilter,
    ProgramScopedAdmin,
    ScopedInlineMixin,
)
from programs.models import Stage

from .forms_meetings import MeetingAdminForm
from .meetings import RECORD_FIELDS, edit_meeting
from .models import Meeting, MeetingParticipant


class MeetingParticipantInline(ScopedInlineMixin, admin.TabularInline):
    model = MeetingParticipant
    extra = 0
    fields = ("student", "status", "comment", "answered_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("student__user")


@admin.register(Meeting)
class MeetingAdmin(ProgramScopedAdmin):
    form = MeetingAdminForm
    program_lookup = "cycle__program"
    cycle_lookup = "cycle"
    str_select_related = ("author__user", "cycle__program")
    list_display = ("starts_at", "author", "cycle", "mode", "duration_minutes", "created_at")
    list_filter = (ProgramListFilter, CycleListFilter, "mode")
    list_select_related = ("author__user", "cycle__program")
    search_fields = ("author__user__full_name", "participants__student__user__full_name")
    # No date hierarchy: its year links read the date of every meeting of
    # every cycle (three mentors' worth of meetings per student a year) on
    # each page; the cycle filter narrows to a year.
    inlines = [MeetingParticipantInline]
    fields = ("cycle", "author", "group", *RECORD_FIELDS, "created_at", "updated_at")
    readonly_fields = ("cycle", "author", "group", "created_at", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.cycle.stage != Stage.CLOSED)

    def save_model(self, request, obj, form, change):
        # ``obj`` already holds the new values: the service compares the
        # stored record with them to know whom to ask again.
        stored = Meeting.objects.select_related("cycle__program", "author__user").get(pk=obj.pk)
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        edit_meeting(meeting=stored, by=request.user, **changes)
        if changes and stored.participants.exists():
            messages.info(
                request, _("Students who had answered were asked to confirm the meeting again.")
            )
