from . import admin_competence, admin_deliverables, admin_judging, admin_survey  # noqa: F401
