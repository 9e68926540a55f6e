from . import admin_competence, admin_deliverables  # noqa: F401
