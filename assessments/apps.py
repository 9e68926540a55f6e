from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Deliverables and evaluation")

    def ready(self):
        # The homes (mentorship) show this app's sections through their
        # registry: mentorship cannot import this app.
        from django.db.models.signals import post_migrate

        from mentorship.demo.extensions import register_bulk, register_demo
        from mentorship.home_sections import register
        from mentorship.reminders import register_source
        from mentorship.roles import MENTOR, STUDENT
        from mentorship.staff_groups import ensure_staff_groups

        from . import stage_consequences, stage_guards  # noqa: F401
        from .awards_recipients import mentor_awards, student_awards
        from .competence import home_competence
        from .demo import seed_assessments
        from .demo_background import seed_background_assessments
        from .demo_bulk import seed_bulk_assessments
        from .demo_bulk_awards import seed_bulk_awards
        from .demo_survey import seed_survey
        from .overview import home_deliverables, mentee_deliverables, reviews_waiting
        from .reminders import KIND as DELIVERABLE_DUE
        from .reminders import deliverable_reminders
        from .reminders_reviews import KIND as REVIEW_WAITING
        from .reminders_reviews import review_reminders
        from .reminders_survey import KIND as SURVEY_OPEN
        from .reminders_survey import survey_reminders
        from .risk import mentee_overview_at_risk
        from .survey_home import mentor_surveys, student_surveys

        # Staff groups grant this app's permissions, which exist only once its
        # own migrations ran: refresh them then too.
        post_migrate.connect(ensure_staff_groups, sender=self)
        register_demo("assessments", seed_assessments, order=30)
        register_demo("assessments_background", seed_background_assessments, order=35)
        register_source(DELIVERABLE_DUE, deliverable_reminders)
        register_source(REVIEW_WAITING, review_reminders, optional=True)
        register_source(SURVEY_OPEN, survey_reminders, optional=True)
        register_demo("assessments_survey", seed_survey, order=40)
        register_bulk("assessments", seed_bulk_assessments, order=30)
        # After the evidence it scores: deliverables, surveys, and the sessions' rows.
        register_bulk("assessments_awards", seed_bulk_awards, order=40)
        for role, provider in ((STUDENT, student_surveys), (MENTOR, mentor_surveys)):
            register(
                role,
                name="open_surveys",
                template="assessments/_home_survey.html",
                provider=provider,
                order=15,
                place="top",
            )
        register(
            STUDENT,
            name="deliverables",
            template="assessments/_home_deliverables.html",
            provider=home_deliverables,
            order=20,
        )
        # Replaces the meetings app's section of the same name: the at-risk
        # mark needs deliverables too (assessments.risk).
        register(
            MENTOR,
            name="mentee_overview",
            template="sessions_app/_home_mentees.html",
            provider=mentee_overview_at_risk,
            order=10,
            place="top",
        )
        register(
            MENTOR,
            name="reviews_waiting",
            template="assessments/_home_reviews.html",
            provider=reviews_waiting,
            order=20,
        )
        register(
            MENTOR,
            name="mentee_deliverables",
            template="assessments/_home_mentee_deliverables.html",
            provider=mentee_deliverables,
            order=25,
        )
        for role, provider in ((STUDENT, student_awards), (MENTOR, mentor_awards)):
            register(
                role,
                name="my_awards",
                template="assessments/_home_awards.html",
                provider=provider,
                order=60,
            )
        register(
            STUDENT,
            name="home_competence",
            template="assessments/_home_competence.html",
            provider=home_competence,
            order=50,
        )
