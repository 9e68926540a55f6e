from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = _("Activities and meetings")

    def ready(self):
        from django.db.models.signals import post_migrate

        from mentorship.demo.extensions import register_bulk, register_demo
        from mentorship.home_sections import register
        from mentorship.reminders import register_source
        from mentorship.roles import MENTOR, STUDENT
        from mentorship.staff_groups import ensure_staff_groups

        from . import stage_consequences  # noqa: F401
        from .activity_overview import upcoming_activities
        from .demo import seed_sessions
        from .demo_background import seed_background_sessions
        from .demo_bulk import seed_bulk_sessions
        from .overview import meetings_to_confirm, mentee_overview
        from .reminders import (
            ACTIVITY,
            GAP,
            UNCONFIRMED,
            activity_reminders,
            gap_reminders,
            unconfirmed_reminders,
        )

        # This app's permissions exist only after its own migrate step, which
        # runs after mentorship's: refresh the staff groups again then.
        post_migrate.connect(ensure_staff_groups, sender=self)
        register_demo("sessions_app", seed_sessions, order=20)
        register_demo("sessions_app_background", seed_background_sessions, order=25)
        register_bulk("sessions_app", seed_bulk_sessions, order=20)
        register_source(GAP, gap_reminders, optional=True)
        register_source(UNCONFIRMED, unconfirmed_reminders, optional=True)
        register_source(ACTIVITY, activity_reminders, optional=True)
        for role in (MENTOR, STUDENT):
            register(
                role,
                name="upcoming_activities",
                template="sessions_app/_home_activities.html",
                provider=upcoming_activities,
                order=30,
            )
        register(
            MENTOR,
            name="mentee_overview",
            template="sessions_app/_home_mentees.html",
            provider=mentee_overview,
            order=10,
            place="top",
        )
        register(
            STUDENT,
            name="meetings_to_confirm",
            template="sessions_app/_home_meetings.html",
            provider=meetings_to_confirm,
            order=10,
            place="top",
        )
