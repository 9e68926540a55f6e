from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Deliverables and evaluation")

    def ready(self):
        from mentorship.home_sections import register
        from mentorship.roles import MENTOR, STUDENT
        from mentorship.staff_groups import ensure_staff_groups

        from .overview import home_deliverables, reviews_waiting

        register(STUDENT, "deliverables", home_deliverables)
        register(MENTOR, "reviews_waiting", reviews_waiting)
        # This app's permissions exist only once its own migrations ran.
        post_migrate.connect(ensure_staff_groups, sender=self)
