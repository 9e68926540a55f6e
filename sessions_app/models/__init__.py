from .activities import *  # noqa: F403
