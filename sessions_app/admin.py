from . import (
    admin_activities,  # noqa: F401
    admin_meetings,  # noqa: F401
)
