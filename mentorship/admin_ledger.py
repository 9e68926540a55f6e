"""The mail ledger (Notification rows) for operators, read-only.

Not for coordinators: a notification is a message to one person. Operators
(superusers) see what is owed, sent or dropped as obsolete, and when, without
the messages' text, to answer "was this person told?" and to watch the
sender after an outage.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Notification

STATES = {
    "owed": Q(sent_at__isnull=True, obsolete_at__isnull=True),
    "sent": Q(sent_at__isnull=False),
    "obsolete": Q(obsolete_at__isnull=False),
}

LABELS = {
    "owed": pgettext_lazy("ledger state", "not sent yet"),
    "sent": pgettext_lazy("ledger state", "sent"),
    "obsolete": pgettext_lazy("ledger state", "obsolete"),
}


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(LABELS.items())

    def queryset(self, request, queryset):
        condition = STATES.get(self.value())
        return queryset.filter(condition) if condition is not None else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "kind",
        "subject_key",
        "recipient_id",
        "due_on",
        "offset_days",
        "state",
        "created_at",
        "claimed_at",
        "sent_at",
        "obsolete_at",
    )
    list_filter = (StateFilter, "kind")
    fields = list_display[:5] + list_display[6:] + ("claim_token", "read_at")
    readonly_fields = fields
    list_per_page = 100
    show_full_result_count = False

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.obsolete_at:
            return LABELS["obsolete"]
        return LABELS["sent"] if obj.sent_at else LABELS["owed"]

    def _operator(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._operator(request)

    def has_view_permission(self, request, obj=None):
        return self._operator(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
