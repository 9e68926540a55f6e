from . import admin_competence  # noqa: F401
