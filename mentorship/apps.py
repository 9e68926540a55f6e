from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("People and groups")

    def ready(self):
        # Stage guards that need mentorship data register with the programs
        # stage machine, which cannot import this app (dependency direction).
        from django.db.models.signals import post_migrate

        from . import checks, signals, stage_effects, stage_guards  # noqa: F401
        from .demo.extensions import register_demo
        from .demo.notifications import seed_notifications
        from .demo.opportunities import seed_opportunities
        from .reminders import register_source
        from .reminders_selection import KIND as SELECTION_DEADLINE
        from .reminders_selection import selection_reminders
        from .staff_groups import ensure_staff_groups

        post_migrate.connect(ensure_staff_groups, sender=self)
        register_demo("opportunities", seed_opportunities, order=10)
        # Last: the sweep sees every other app's demo rows.
        register_demo("notifications", seed_notifications, order=90)
        register_source(SELECTION_DEADLINE, selection_reminders, optional=True)
