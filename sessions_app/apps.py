from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = _("Activities and meetings")

    def ready(self):
        from django.db.models.signals import post_migrate

        from mentorship.staff_groups import ensure_staff_groups

        # This app's permissions exist only after its own post_migrate, which
        # comes after mentorship's: refresh the staff groups once more.
        post_migrate.connect(ensure_staff_groups, sender=self)
