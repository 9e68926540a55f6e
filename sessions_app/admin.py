from . import admin_activities  # noqa: F401
