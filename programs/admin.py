from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import stages
from .admin_scoping import ProgramListFilter, ProgramScopedAdmin, ScopedInlineMixin
from .confirmation import Confirmation, confirm
from .models import (
    AwardCategory,
    CompetenceDimension,
    Cycle,
    DeliverableKind,
    GroupRule,
    Program,
    ReminderPolicy,
    RubricCriterion,
    Stage,
    StageTransition,
    SurveyQuestion,
)
from .services import StageTransitionError, advance_stage, apply_default_rules, stage_refusals


class RuleInline(ScopedInlineMixin, admin.TabularInline):
    extra = 0
    fields = ("position", "code", "name")
    ordering = ("position", "id")


class CompetenceDimensionInline(RuleInline):
    model = CompetenceDimension
    fields = (*RuleInline.fields, "description")


class DeliverableKindInline(RuleInline):
    model = DeliverableKind
    fields = (*RuleInline.fields, "required")


class AwardCategoryInline(RuleInline):
    model = AwardCategory
    fields = (*RuleInline.fields, "subject", "quota", "quota_percent")


class RubricCriterionInline(RuleInline):
    model = RubricCriterion
    fields = (*RuleInline.fields, "subject", "measure", "weight", "breaks_ties")
    ordering = ("subject", "position", "id")


class SurveyQuestionInline(RuleInline):
    model = SurveyQuestion
    fields = (*RuleInline.fields, "audience", "kind", "about_mentor", "overall")
    ordering = ("audience", "position", "id")


class GroupRuleInline(ScopedInlineMixin, admin.TabularInline):
    model = GroupRule
    extra = 0
    fields = ("kind", "min_mentors", "max_mentors", "max_leaders", "max_students")


class ReminderPolicyInline(ScopedInlineMixin, admin.StackedInline):
    model = ReminderPolicy
    can_delete = False
    min_num = 1
    max_num = 1
    extra = 0
    fields = (
        "deliverable_days_before",
        ("overdue_every_days", "overdue_times"),
        ("meeting_gap_days", "unconfirmed_meeting_days"),
        "review_waiting_days",
        "activity_hours_before",
        "selection_days_before",
    )


@admin.register(Program)
class ProgramAdmin(ProgramScopedAdmin):
    list_display = (
        "name",
        "kind",
        "organisation",
        "mentor_capacity_min",
        "mentor_capacity_max",
        "preferences_count",
        "is_active",
    )
    list_filter = ("kind", "is_active")
    search_fields = ("name", "organisation")
    readonly_fields = ("created_at",)
    fieldsets = (
        (None, {"fields": ("name", "kind", "organisation", "description", "is_active")}),
        (
            gettext_lazy("Rules"),
            {
                "fields": (
                    "mentor_capacity_min",
                    "mentor_capacity_max",
                    "preferences_count",
                    "group_contacts",
                    "meeting_edit_days",
                    "at_risk_after_days",
                    "versions_per_day",
                    "upload_space_mb",
                )
            },
        ),
        (None, {"fields": ("created_at",)}),
    )
    inlines = (
        CompetenceDimensionInline,
        DeliverableKindInline,
        AwardCategoryInline,
        RubricCriterionInline,
        SurveyQuestionInline,
        GroupRuleInline,
        ReminderPolicyInline,
    )

    def has_add_permission(self, request):
        # Programs are set up by operators; coordinators are given existing ones.
        return request.user.is_superuser

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            # After the inlines, so items typed in on the add page win over the
            # defaults of the same code instead of clashing with them.
            apply_default_rules(program=form.instance)


class StageTransitionInline(ScopedInlineMixin, admin.TabularInline):
    """The cycle's stage history: written only by advance_stage."""

    model = StageTransition
    extra = 0
    can_delete = False
    fields = ("from_stage", "to_stage", "by", "at", "note")
    readonly_fields = fields
    ordering = ("at",)
    verbose_name_plural = gettext_lazy("stage history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def has_view_permission(self, request, obj=None):
        # The history is part of the cycle: whoever may see the cycle sees it.
        cycle_admin = self.admin_site.get_model_admin(Cycle)
        return cycle_admin.has_view_permission(request, obj)

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(ProgramScopedAdmin):
    program_lookup = "program"
    str_select_related = ("program",)
    list_display = ("name", "program", "starts_on", "ends_on", "stage", "stage_changed_at")
    list_select_related = ("program",)
    list_filter = (ProgramListFilter, "stage")
    search_fields = ("name", "program__name")
    date_hierarchy = "starts_on"
    fields = (
        "program",
        "name",
        "starts_on",
        "ends_on",
        "preference_deadline",
        "priority_invitations_until",
        "stage",
        "stage_changed_at",
    )
    readonly_fields = ("stage", "stage_changed_at")
    inlines = (StageTransitionInline,)
    change_form_template = "admin/programs/cycle/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        # A cycle's engagements, groups and history belong to its program.
        if obj is not None:
            return ("program", *self.readonly_fields)
        return self.readonly_fields

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/advance/",
                self.admin_site.admin_view(self.advance_view),
                name="{}_{}_advance".format(*info),
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Here rather than in change_view: the object is already loaded, and a
        # saved form redirects without rendering, so the guards run only for a page.
        cycle = obj
        if cycle is not None and cycle.next_stage and self.has_change_permission(request, cycle):
            context["advance_url"] = reverse(
                f"{self.admin_site.name}:programs_cycle_advance", args=[cycle.pk]
            )
            context["next_stage_label"] = Stage(cycle.next_stage).label
            # Said before the click: a button that can only be refused helps nobody.
            context["advance_refusals"] = stage_refusals(cycle=cycle, to_stage=cycle.next_stage)
        if cycle is not None:
            # Through the reverse relation: programs does not import mentorship.
            context["has_choosable_groups"] = cycle.groups.filter(capacity__gt=0).exists()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def advance_view(self, request, object_id):
        """GET: what the move will change, and the button; POST: the move, when
        it is still the one the page showed and no guard refuses it now."""
        cycle = self.get_object(request, object_id)
        if cycle is None:
            raise Http404(_("This cycle does not exist or is not yours to see."))
        if not self.has_change_permission(request, cycle):
            raise PermissionDenied
        change_url = reverse(f"{self.admin_site.name}:programs_cycle_change", args=[cycle.pk])
        to_stage = request.POST.get("to_stage") if request.method == "POST" else cycle.next_stage

        def perform(choices):
            try:
                moved = advance_stage(
                    cycle=cycle, by=request.user, to_stage=to_stage, choices=choices
                )
            except StageTransitionError as error:
                for reason in error.reasons:
                    messages.error(request, reason)
            else:
                messages.success(
                    request,
                    _("%(cycle)s moved to %(stage)s.")
                    % {"cycle": moved, "stage": moved.get_stage_display()},
                )
            return HttpResponseRedirect(change_url)

        confirmation = stage_move_confirmation(cycle, to_stage, back_url=change_url)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "cycle": cycle}
        return confirm(request, confirmation, perform=perform, context=context)


def stage_move_confirmation(cycle, to_stage, *, back_url):
    """The confirmation of moving ``cycle`` to ``to_stage``: its refusals now
    and what the later apps say the move changes (programs.stages)."""
    refusals = stage_refusals(cycle=cycle, to_stage=to_stage)
    label = Stage(to_stage).label if to_stage in Stage.values else _("the next stage")
    found = [] if refusals else stages.consequences(cycle, to_stage)
    return Confirmation(
        title=_("Move %(cycle)s to %(stage)s") % {"cycle": cycle, "stage": label},
        intro=_(
            "The cycle moves from %(from)s to %(to)s. Stages only move forward. "
            "Nobody is e-mailed at the move itself; the reminders below follow from the "
            "daily sweep."
        )
        % {"from": cycle.get_stage_display(), "to": label},
        consequences=found,
        refusals=refusals,
        submit_label=_("Yes, move to %(stage)s") % {"stage": label},
        back_url=back_url,
        hidden={"to_stage": to_stage},
    )
