from . import admin_competence, admin_deliverables, admin_evaluation  # noqa: F401
