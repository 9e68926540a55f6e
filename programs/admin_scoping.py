"""Limits every admin page to the programs the signed-in person works on.

Coordinators are not superusers: the "Coordinators" auth group gives them
model permissions, and this module narrows each queryset, object page, choice
list, autocomplete answer, list filter and bulk action to their programs.
Steering members may look at the programs they steer but change nothing there.

The helpers know programs only. Apps whose models reach a program another way
(people, through rosters and contracts) override ``scope_queryset``; this app
must not import them.
"""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .admin_widgets import (
    IdsOnlyAutocompleteSelect,
    IdsOnlyAutocompleteSelectMultiple,
    look_up_chosen,
)
from .dates import FIRST_YEAR, LAST_YEAR
from .http import parse_id, parse_number
from .models import Cycle, Program

VIEW = "view"
CHANGE = "change"

# An ordering for long lists: newest first, which the primary key's index
# serves, where a model's own ordering sorts every row of a program by names
# found across joins before showing the first page.
NEWEST_FIRST = ("-pk",)


def program_ids(request, purpose=VIEW):
    """Ids of the programs ``request.user`` may see (VIEW) or change (CHANGE),
    or None for "all of them". Worked out once per request."""
    user = request.user
    if user.is_superuser:
        return None
    scope = request.__dict__.get("_admin_program_scope")
    if scope is None:
        coordinated = frozenset(Program.objects.coordinated_by(user).values_list("pk", flat=True))
        steered = frozenset(Program.objects.steered_by(user).values_list("pk", flat=True))
        scope = {VIEW: coordinated | steered, CHANGE: coordinated}
        request._admin_program_scope = scope
    return scope[purpose]


def _is_autocomplete(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited to what the person may pick.

    A related model with a scoped admin gives its own changeable queryset. Any
    other related model offers nothing to a non-superuser unless the field is
    named in ``unscoped_choice_fields``: a forgotten field then fails closed.
    """

    unscoped_choice_fields = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdsOnlyAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdsOnlyAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.name in self.unscoped_choice_fields:
            return queryset
        model = db_field.remote_field.model
        try:
            related_admin = self.admin_site.get_model_admin(model)
        except NotRegistered:
            related_admin = None
        if isinstance(related_admin, ProgramScopedAdmin):
            # Superusers too: its str_select_related names each choice in the same query.
            return related_admin.get_choice_queryset(request).using(db)
        if request.user.is_superuser:
            return queryset
        return model._default_manager.using(db).none()


class BoundedYearChangeList(ChangeList):
    """Refuses a date hierarchy year outside the years dates may take.

    Django builds the month or year after the chosen one unguarded, so year
    9999 (or year 1, made aware) raised instead of answering with the
    admin's "invalid filter" redirect.
    """

    def get_filters(self, request):
        if self.date_hierarchy:
            year = request.GET.get(f"{self.date_hierarchy}__year")
            if (
                year is not None
                and parse_number(year, minimum=FIRST_YEAR, maximum=LAST_YEAR) is None
            ):
                raise IncorrectLookupParameters(year)
        return super().get_filters(request)


class ProgramScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """A ModelAdmin whose rows belong to programs.

    ``program_lookup`` is the path from the model to its Program ("cycle__program");
    empty for Program itself. ``cycle_lookup`` names the path to its Cycle for
    CycleListFilter. ``str_select_related`` lists what ``__str__`` reads, so a
    choice list or an autocomplete answer of many rows stays one query.
    """

    program_lookup = ""
    cycle_lookup = None
    str_select_related = ()
    # The unfiltered total beside a filtered count repeats the scoping
    # subqueries over every row of every cycle; the count of what is shown
    # is enough.
    show_full_result_count = False
    # Rendering the rows is most of a changelist's time (each cell is
    # looked up, formatted and escaped): fifty a page, not Django's hundred.
    list_per_page = 50

    def get_changelist(self, request, **kwargs):
        return BoundedYearChangeList

    def action_checkbox(self, obj):
        # Django's renders a CheckboxInput through three widget templates a
        # row, a third of a changelist's time; this is the same markup.
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def get_changeform_initial_data(self, request):
        # "?mentor=12" preselects on an add page; the autocomplete widget
        # looks the value up, so anything but ids is dropped, not queried.
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                relation = self.opts.get_field(name).is_relation
            except FieldDoesNotExist:
                continue
            values = value if isinstance(value, list) else [value]
            if relation and any(parse_id(pk) is None for pk in values):
                del initial[name]
        return initial

    def scope_queryset(self, queryset, ids):
        lookup = f"{self.program_lookup}__in" if self.program_lookup else "pk__in"
        return queryset.filter(**{lookup: ids})

    def scoped(self, request, queryset, purpose=VIEW):
        ids = program_ids(request, purpose)
        return queryset if ids is None else self.scope_queryset(queryset, ids)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.str_select_related:
            queryset = queryset.select_related(*self.str_select_related)
        return self.scoped(request, queryset)

    def get_choice_queryset(self, request):
        """What another form may point at: only rows of coordinated programs."""
        queryset = self.model._default_manager.all()
        if self.str_select_related:
            queryset = queryset.select_related(*self.str_select_related)
        ordering = self.get_ordering(request)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return self.scoped(request, queryset, CHANGE)

    def is_changeable(self, request, obj):
        if program_ids(request, CHANGE) is None:
            return True
        cache = request.__dict__.setdefault("_admin_changeable", {})
        key = (self.model._meta.label, obj.pk)
        if key not in cache:
            rows = self.model._default_manager.filter(pk=obj.pk)
            cache[key] = self.scoped(request, rows, CHANGE).exists()
        return cache[key]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.is_changeable(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.is_changeable(request, obj))

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete view asks the related model's admin; what it offers
        # is a choice to pick, so it must not include programs only steered.
        if _is_autocomplete(request):
            queryset = self.scoped(request, queryset, CHANGE)
        return super().get_search_results(request, queryset, search_term)

    def response_action(self, request, queryset, *args, **kwargs):
        # Every bulk action (delete, deactivate, export) runs on rows of
        # coordinated programs only: steered programs are for looking at.
        queryset = self.scoped(request, queryset, CHANGE)
        return super().response_action(request, queryset, *args, **kwargs)


class RowsOnceFormSetMixin:
    """An inline's rows cost the same queries however many there are: each
    row is handed the parent object (its ``__str__`` read the parent again,
    one query a row), and the autocomplete widgets of all rows look up their
    chosen options together."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self.fk.set_cached_value(form.instance, self.instance)
        return form

    @cached_property
    def forms(self):
        forms = super().forms
        look_up_chosen(forms)
        return forms


class ScopedInlineMixin(ScopedChoicesMixin):
    """An inline may be edited only when its parent object may be changed.

    Set ``program_lookup`` when the inline's rows can belong to programs other
    than the parent's (a person's staff roles); leave it None otherwise.
    """

    program_lookup = None

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (RowsOnceFormSetMixin, formset), {})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = program_ids(request, VIEW)
        if self.program_lookup is None or ids is None:
            return queryset
        return queryset.filter(**{f"{self.program_lookup}__in": ids})

    def _parent_changeable(self, request, obj):
        if obj is None:
            return True
        return self.admin_site.get_model_admin(self.parent_model).has_change_permission(
            request, obj
        )

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._parent_changeable(request, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._parent_changeable(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._parent_changeable(request, obj)


class OfferedChoiceListFilter(admin.SimpleListFilter):
    """A list filter that ignores any value it does not offer.

    A value from outside the choices is a typo, a hostile value or the id of
    a program or cycle the person may not see; filtering by the last would
    tell which of their people also belong to that other program. The list
    then shows as if no value were given ("All" is selected).
    """

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        offered = {str(value) for value, _label in self.lookup_choices}
        if self.value() is not None and self.value() not in offered:
            del self.used_parameters[self.parameter_name]


class ProgramListFilter(OfferedChoiceListFilter):
    """Programs the person may see; never another program's name."""

    title = _("program")
    parameter_name = "program"

    def lookups(self, request, model_admin):
        programs = Program.objects.only("pk", "name")
        ids = program_ids(request, VIEW)
        if ids is not None:
            programs = programs.filter(pk__in=ids)
        return [(str(program.pk), program.name) for program in programs]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return self.model_admin.scope_queryset(queryset, [parse_id(self.value())])

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)


class CycleListFilter(OfferedChoiceListFilter):
    """Cycles of the programs the person may see; the admin names the path."""

    title = _("cycle")
    parameter_name = "cycle"

    def lookups(self, request, model_admin):
        cycles = Cycle.objects.select_related("program").order_by("program__name", "-starts_on")
        ids = program_ids(request, VIEW)
        if ids is not None:
            cycles = cycles.filter(program__in=ids)
        return [(str(cycle.pk), str(cycle)) for cycle in cycles]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(**{self.cycle_lookup: parse_id(self.value())})

    def __init__(self, request, params, model, model_admin):
        self.cycle_lookup = model_admin.cycle_lookup
        super().__init__(request, params, model, model_admin)
