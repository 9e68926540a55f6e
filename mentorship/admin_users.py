"""People and their office roles in the admin."""

from allauth.account.forms import ResetPasswordForm
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs.admin_scoping import VIEW, ProgramListFilter, ProgramScopedAdmin, ScopedInlineMixin
from programs.admin_scoping import program_ids as scoped_program_ids
from programs.confirmation import Confirmation, Consequence, confirm
from programs.models import Program

from .admin_scopes import PersonScopedAdmin, ReachCheckedAdmin
from .models import RosterEntry, RosterRole, StaffRole, StaffRoleKind, User
from .reach import Reach

PLACEMENT_CHOICES = [*RosterRole.choices, *StaffRoleKind.choices]
# Shown instead of the password and e-mail address of someone out of reach.
LOCKED_CREDENTIALS = ("email", "password_locked")


def _reach(request):
    return request.__dict__.setdefault("_admin_reach", Reach(request.user))


def credentials_locked(request, person):
    """Whether ``request.user`` may not change ``person``'s password, e-mail
    address or active status (mentorship.reach); answered once per request."""
    return not _reach(request).may_change_credentials(person)


def send_reset_link(request, person):
    """allauth's password reset e-mail, to the person's own address and in
    their language."""
    with translation.override(person.preferred_language):
        form = ResetPasswordForm(data={"email": person.email})
        if form.is_valid():
            form.save(request)


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
    actions = ("deactivate", "send_password_reset")
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
        fieldsets = self.fieldsets
        if credentials_locked(request, obj):
            fieldsets = ((None, {"fields": LOCKED_CREDENTIALS}), *fieldsets[1:])
        # Permission flags are for operators: a coordinator who could tick
        # "superuser" or add groups would escape their programs.
        if request.user.is_superuser:
            return fieldsets + self.superuser_fieldsets
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and credentials_locked(request, obj):
            # Whoever can set the e-mail address of someone who is also in
            # another program can reset their password and sign in as them;
            # whoever can deactivate them locks them out of that program too.
            return (*fields, *LOCKED_CREDENTIALS, "is_active")
        return fields

    @admin.display(description=_("password"))
    def password_locked(self, obj):
        return _(
            "Only the person or an operator can change the password and e-mail address of "
            "this account. To help them sign in, send them a password reset link (the action "
            "“Send a password reset link”): it goes to their own address."
        )

    def user_change_password(self, request, id, form_url=""):
        person = self.get_object(request, unquote(id))
        if person is not None and credentials_locked(request, person):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

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

    @admin.action(
        description=_("Send a password reset link"),
        description_plural=_("Send a password reset link to the selected people"),
        permissions=["change"],
        location=[admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM],
    )
    def send_password_reset(self, request, queryset):
        people = list(queryset.filter(is_active=True))
        inactive = queryset.filter(is_active=False).count()

        def perform(choices):
            for person in people:
                send_reset_link(request, person)
            messages.success(
                request,
                ngettext(
                    "A password reset link was sent to %(count)d person.",
                    "A password reset link was sent to %(count)d people.",
                    len(people),
                )
                % {"count": len(people)},
            )
            if inactive:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d deactivated person was left out.",
                        "%(count)d deactivated people were left out.",
                        inactive,
                    )
                    % {"count": inactive},
                )

        # It mails people: say whom, and ask first.
        context = {**self.admin_site.each_context(request), "opts": self.opts, "people": people}
        confirmation = reset_confirmation(request, people, inactive)
        return confirm(request, confirmation, perform=perform, context=context)

    @admin.action(description=_("Deactivate selected people"), permissions=["change"])
    def deactivate(self, request, queryset):
        people = list(queryset.filter(is_active=True).exclude(pk=request.user.pk))
        reach = _reach(request)
        reach.load([person.pk for person in people])
        # Staff accounts and people also in a program the coordinator does not
        # coordinate are out of reach: deactivating them would lock them out
        # of programs that are not theirs to run.
        people = [person for person in people if reach.may_change_credentials(person)]
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
                    "%(count)d person was left active: you cannot deactivate yourself, "
                    "staff accounts, or people who are also in a program you do not "
                    "coordinate.",
                    "%(count)d people were left active: you cannot deactivate yourself, "
                    "staff accounts, or people who are also in a program you do not "
                    "coordinate.",
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


def reset_confirmation(request, people, inactive):
    """Whom the reset links go to, and who is left out. The action's POST is
    posted again as it came, so it runs on the same people from the list or
    from a person's page."""
    consequences = [
        Consequence(
            ngettext(
                "An e-mail with a link to choose a new password goes to %(counter)s person, at "
                "their own address and in their language. Their current password keeps "
                "working until they use the link.",
                "An e-mail with a link to choose a new password goes to each of these "
                "%(counter)s people, at their own address and in their language. Their current "
                "passwords keep working until they use the link.",
                len(people),
            )
            # "counter": the msgid the page's template had, translated already.
            % {"counter": len(people)},
            names=tuple(f"{person.full_name} <{person.email}>" for person in people),
            warning=True,
        )
    ]
    if inactive:
        consequences.append(
            Consequence(
                ngettext(
                    "%(counter)s deactivated person is left out.",
                    "%(counter)s deactivated people are left out.",
                    inactive,
                )
                % {"counter": inactive}
            )
        )
    return Confirmation(
        title=_("Send a password reset link"),
        consequences=consequences if people else consequences[1:],
        refusals=[] if people else [_("Nobody selected can be sent a link.")],
        submit_label=_("Yes, send the links"),
        back_url=request.get_full_path(),
        irreversible=False,
        hidden=[
            (name, value)
            for name, values in request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "confirmed")
            for value in values
        ],
    )
