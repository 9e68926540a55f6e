from . import admin_meetings  # noqa: F401
