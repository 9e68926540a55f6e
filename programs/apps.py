from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self):
        from celery.signals import task_postrun

        from .tasks_util import task_done

        # Any task queued through enqueue() that succeeds owes nothing more.
        task_postrun.connect(task_done, weak=False, dispatch_uid="programs.task_done")
