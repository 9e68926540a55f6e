"""Competence in the admin: coordinators word the level descriptors of their
programs' dimensions and look at the assessments; nobody edits a student's
or a mentor's ratings here."""

from django.contrib import admin

from programs.admin_scoping import (
    CHANGE,
    NEWEST_FIRST,
    CycleListFilter,
    ProgramListFilter,
    ProgramScopedAdmin,
    ScopedInlineMixin,
    program_ids,
)
from programs.models import CompetenceDimension

from .models import LevelDescriptor, MentorRating, Rating, SelfAssessment


@admin.register(LevelDescriptor)
class LevelDescriptorAdmin(ProgramScopedAdmin):
    """A row replaces the built-in text of one level; levels without a row keep it."""

    program_lookup = "dimension__program"
    str_select_related = ("dimension",)
    list_display = ("dimension", "level", "text")
    list_filter = (ProgramListFilter,)
    # The dimension choices are scoped below: dimensions have no admin of their own.
    unscoped_choice_fields = ("dimension",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dimension":
            dimensions = CompetenceDimension.objects.select_related("program")
            ids = program_ids(request, CHANGE)
            if ids is not None:
                dimensions = dimensions.filter(program__in=ids)
            kwargs["queryset"] = dimensions
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RatingInline(ReadOnlyAdminMixin, ScopedInlineMixin, admin.TabularInline):
    model = Rating
    fields = ("dimension", "level", "note")
    readonly_fields = fields
    extra = 0


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    program_lookup = "enrollment__cycle__program"
    cycle_lookup = "enrollment__cycle"
    str_select_related = ("enrollment__student__user", "enrollment__cycle__program")
    list_display = ("enrollment", "moment", "submitted_at")
    list_filter = (ProgramListFilter, CycleListFilter, "moment")
    ordering = NEWEST_FIRST
    search_fields = ("enrollment__student__user__full_name",)
    inlines = (RatingInline,)


@admin.register(MentorRating)
class MentorRatingAdmin(ReadOnlyAdminMixin, ProgramScopedAdmin):
    program_lookup = "enrollment__cycle__program"
    cycle_lookup = "enrollment__cycle"
    str_select_related = (
        "enrollment__student__user",
        "enrollment__cycle__program",
        "dimension",
        "by__user",
    )
    list_display = ("enrollment", "dimension", "moment", "level", "by", "updated_at")
    list_filter = (ProgramListFilter, CycleListFilter, "moment")
    ordering = NEWEST_FIRST
    search_fields = ("enrollment__student__user__full_name", "by__user__full_name")
