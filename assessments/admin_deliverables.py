"""Deliverable requirements (set by coordinators) and the submitted versions
(shown read-only: they are the students' and mentors' record)."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentorship.admin_matching import ReadOnlyScopedAdmin
from programs.admin_scoping import (
    CHANGE,
    CycleListFilter,
    ProgramListFilter,
    ProgramScopedAdmin,
    ScopedInlineMixin,
    program_ids,
)
from programs.models import DeliverableKind
from programs.querysets import count_per

from .models import Requirement, Review, Submission


def kind_choice_label(kind):
    # A coordinator of several programs sees each program's kinds.
    return f"{kind.program} · {kind.label}"


@admin.register(Requirement)
class RequirementAdmin(ProgramScopedAdmin):
    program_lookup = "cycle__program"
    cycle_lookup = "cycle"
    str_select_related = ("kind", "cycle__program")
    list_display = ("kind_label", "cycle", "due_at", "locked", "version_count")
    list_filter = (ProgramListFilter, CycleListFilter, "locked")
    fields = ("cycle", "kind", "due_at", "locked", "open_until_due", "instructions")
    actions = ("lock", "unlock")

    @admin.display(description=_("deliverable kind"), ordering="kind__name")
    def kind_label(self, obj):
        return obj.kind.label

    @admin.display(description=_("versions submitted"))
    def version_count(self, obj):
        return obj.version_count

    def get_queryset(self, request):
        # Per row shown, not a join and GROUP BY over every version of every cycle.
        versions = count_per(Submission.objects.all(), "requirement")
        return super().get_queryset(request).annotate(version_count=versions)

    def get_readonly_fields(self, request, obj=None):
        # Versions hang on the requirement: its cycle and kind stay what students answered.
        return ("cycle", "kind") if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kinds = DeliverableKind.objects.select_related("program").order_by(
                "program__name", "position", "pk"
            )
            ids = program_ids(request, CHANGE)
            if ids is not None:
                kinds = kinds.filter(program__in=ids)
            kwargs["queryset"] = kinds
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = kind_choice_label
            field.help_text = _(
                "A kind of the cycle's program. Add the program's own kinds on the program page."
            )
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _set_locked(self, request, queryset, locked):
        count = queryset.update(locked=locked)
        self.message_user(
            request,
            ngettext("%(count)d requirement updated.", "%(count)d requirements updated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Refuse late submissions"), permissions=["change"])
    def lock(self, request, queryset):
        self._set_locked(request, queryset, True)

    @admin.action(description=_("Accept late submissions (marked late)"), permissions=["change"])
    def unlock(self, request, queryset):
        self._set_locked(request, queryset, False)


class ReviewInline(ScopedInlineMixin, admin.TabularInline):
    model = Review
    extra = 0
    can_delete = False
    fields = ("created_at", "reviewer", "decision", "comment", "grade")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer__user")

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyScopedAdmin):
    """Read-only: a version is never changed or deleted (see ImmutableRecord)."""

    program_lookup = "requirement__cycle__program"
    cycle_lookup = "requirement__cycle"
    str_select_related = ("requirement__kind", "enrollment__student__user")
    list_display = ("student", "kind_label", "number", "submitted_at", "late")
    list_select_related = (
        "requirement__kind",
        "requirement__cycle",
        "enrollment__student__user",
    )
    list_filter = (ProgramListFilter, CycleListFilter, "late")
    search_fields = ("enrollment__student__user__full_name", "enrollment__student__student_number")
    fields = (
        "student",
        "requirement",
        "number",
        "submitted_at",
        "late",
        "content",
        "download",
    )
    readonly_fields = fields
    inlines = (ReviewInline,)

    @admin.display(description=_("student"), ordering="enrollment__student__user__full_name")
    def student(self, obj):
        return obj.enrollment.student.user

    @admin.display(description=_("deliverable kind"))
    def kind_label(self, obj):
        return obj.requirement.kind.label

    @admin.display(description=_("file"))
    def download(self, obj):
        if not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("submission_file", args=[obj.pk]), _("Download")
        )
