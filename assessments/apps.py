from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Deliverables and evaluation")

    def ready(self):
        # The student home (mentorship) shows the self-assessment status
        # through its section registry: mentorship cannot import this app.
        from django.db.models.signals import post_migrate

        from mentorship.home_sections import register
        from mentorship.roles import STUDENT
        from mentorship.staff_groups import ensure_staff_groups

        from .competence import home_competence

        # Staff groups grant this app's permissions, which exist only once its
        # own migrations ran: refresh them then too.
        post_migrate.connect(ensure_staff_groups, sender=self)
        register(
            STUDENT,
            name="home_competence",
            template="assessments/_home_competence.html",
            provider=home_competence,
            order=50,
        )
