from . import admin_competence, admin_deliverables, admin_judging  # noqa: F401
