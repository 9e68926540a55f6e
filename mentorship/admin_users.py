"""People and their office roles in the admin."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs.admin_scoping import VIEW, ProgramListFilter, ProgramScopedAdmin, ScopedInlineMixin
from programs.admin_scoping import program_ids as scoped_program_ids
from programs.models import Program

from .admin_scopes import PersonScopedAdmin, ReachCheckedAdmin
from .models import RosterEntry, RosterRole, StaffRole, StaffRoleKind, User

PLACEMENT_CHOICES = [*RosterRole.choices, *StaffRoleKind.choices]


class PersonChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class PersonCreationForm(auth_forms.AdminUserCreationForm):
    """A new person with a password, placed in a program at once.

    A coordinator sees only people of their programs, so a person they add
    must land in one of them, or it would vanish from their view on saving.
    """

    program = forms.ModelChoiceField(
        label=_("program"), queryset=Program.objects.none(), required=False
    )
    placement = forms.ChoiceField(
        label=_("role in the program"),
        choices=[("", "---------"), *PLACEMENT_CHOICES],
        required=False,
        help_text=_("Mentors and students join the program's roster; staff get a staff role."),
    )
    program_queryset = Program.objects.none()
    program_required = True

    class Meta:
        model = User
        fields = ("email", "full_name", "preferred_language")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = self.program_queryset
        self.fields["program"].required = self.program_required
        self.fields["placement"].required = self.program_required

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("program")) != bool(cleaned.get("placement")):
            raise forms.ValidationError(_("Choose both a program and a role in it, or neither."))
        return cleaned


def place_person(user, program, placement):
    if placement in RosterRole.values:
        RosterEntry.objects.create(user=user, program=program, role=placement)
    else:
        StaffRole.objects.create(user=user, program=program, role=placement)


class StaffRoleInline(ReachCheckedAdmin, ScopedInlineMixin, admin.TabularInline):
    model = StaffRole
    extra = 0
    fields = ("program", "role")
    # Roles in programs the viewer has nothing to do with stay hidden.
    program_lookup = "program"
    # The person is the page's own; a refusal belongs next to the program.
    reach_field = "program"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program")


@admin.register(User)
class UserAdmin(PersonScopedAdmin, auth_admin.UserAdmin):
    user_field = "pk"
    form = PersonChangeForm
    add_form = PersonCreationForm
    list_display = (
        "email",
        "full_name",
        "preferred_language",
        "is_active",
        "is_staff",
        "staff_roles_display",
    )
    list_filter = ("is_active", "is_staff", "preferred_language", ProgramListFilter)
    search_fields = ("email", "full_name")
    ordering = ("full_name", "email")
    filter_horizontal = ("groups", "user_permissions")
    readonly_fields = ("last_login", "date_joined")
    actions = ("deactivate",)
    inlines = (StaffRoleInline,)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "preferred_language")}),
        (_("Status"), {"fields": ("is_active",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        (
            _("Permissions"),
            {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "preferred_language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
        (_("Program"), {"fields": ("program", "placement")}),
    )

    def get_queryset(self, request):
        roles = StaffRole.objects.select_related("program")
        ids = scoped_program_ids(request, VIEW)
        if ids is not None:
            roles = roles.filter(program__in=ids)
        return super().get_queryset(request).prefetch_related(Prefetch("staff_roles", roles))

    @admin.display(description=_("staff roles"))
    def staff_roles_display(self, obj):
        return ", ".join(
            f"{role.get_role_display()} ({role.program})" for role in obj.staff_roles.all()
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        # Permission flags are for operators: a coordinator who could tick
        # "superuser" or add groups would escape their programs.
        if request.user.is_superuser:
            return self.fieldsets + self.superuser_fieldsets
        return self.fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            return form
        attrs = {
            "program_queryset": Program.objects.coordinated_by(request.user),
            "program_required": not request.user.is_superuser,
        }
        return type(form.__name__, (form,), attrs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and form.cleaned_data.get("program"):
            place_person(obj, form.cleaned_data["program"], form.cleaned_data["placement"])

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # Staff accounts are the operators' to manage: a coordinator who could
        # change a fellow coordinator's e-mail or password could take over
        # programs they do not coordinate.
        user = request.user
        if obj is None or user.is_superuser or obj.pk == user.pk:
            return True
        return not (obj.is_staff or obj.is_superuser)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # People are deactivated, not deleted; deleting one by one stays for
        # operators and shows what protects the person's history.
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Deactivate selected people"), permissions=["change"])
    def deactivate(self, request, queryset):
        people = queryset.filter(is_active=True).exclude(pk=request.user.pk)
        if not request.user.is_superuser:
            people = people.filter(is_staff=False, is_superuser=False)
        people = list(people)
        User.objects.filter(pk__in=[person.pk for person in people]).update(is_active=False)
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=people,
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["is_active"]}}],
        )
        messages.success(
            request,
            ngettext(
                "%(count)d person deactivated.",
                "%(count)d people deactivated.",
                len(people),
            )
            % {"count": len(people)},
        )
        skipped = queryset.filter(is_active=True).count()
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d person was left active: you cannot deactivate yourself "
                    "or staff accounts.",
                    "%(count)d people were left active: you cannot deactivate yourself "
                    "or staff accounts.",
                    skipped,
                )
                % {"count": skipped},
            )


@admin.register(StaffRole)
class StaffRoleAdmin(ReachCheckedAdmin, ProgramScopedAdmin):
    program_lookup = "program"
    str_select_related = ("user", "program")
    list_display = ("user", "user_email", "program", "role")
    list_filter = (ProgramListFilter, "role")
    search_fields = ("user__full_name", "user__email", "program__name")
    autocomplete_fields = ("user",)

    @admin.display(description=_("e-mail address"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email
