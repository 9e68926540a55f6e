from .meetings import *  # noqa: F403
