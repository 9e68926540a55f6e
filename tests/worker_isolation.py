"""What the test processes of one run (pytest-xdist workers) or of two runs at
once must not share, besides the database (pytest-django gives each worker
its own test database, suffixed ``_gw0``, ``_gw1``, ...).

- The cache. Tests clear it (allauth counts login attempts there), and Redis's
  clear is FLUSHDB: one worker's clear would wipe another's rate limits and
  sessions mid-test. Each process gets its own key prefix, and clear deletes
  only the keys under it.
- MEDIA_ROOT. An upload a test forgets to redirect lands in a temporary
  directory of its process, not in the checkout, nor beside another worker's.

Servers a test starts bind port 0 (the OS picks a free one), as pytest-django's
``live_server`` does; a fixed port would collide between workers.
"""

import os
import shutil
import tempfile

from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string

from programs.cache import FailOpenRedisCache


class ProcessRedisCache(FailOpenRedisCache):
    """Redis cache whose ``clear`` deletes only its own prefix's keys."""

    def clear(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True


def worker_name():
    """``gw0``, ``gw1``, ... under pytest-xdist, else ``main``."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def isolate(settings):
    """Point ``settings``' cache and MEDIA_ROOT at this process's own; returns
    the media directory, to be removed at the end of the run."""
    from django.core.signals import setting_changed
    from django.test import signals  # noqa: F401 - connects the receiver that resets caches

    cache = settings.CACHES["default"]
    # Any Redis backend (settings use one that fails open): the clear of each
    # is FLUSHDB, which must never reach another worker's keys.
    if issubclass(import_string(cache["BACKEND"]), RedisCache):
        prefix = f"{cache.get('KEY_PREFIX', '')}-test-{worker_name()}-{os.getpid()}"
        settings.CACHES = {
            **settings.CACHES,
            "default": {**cache, "BACKEND": f"{__name__}.ProcessRedisCache", "KEY_PREFIX": prefix},
        }
        # Drops any cache connection made with the old settings.
        setting_changed.send(
            sender=type(settings), setting="CACHES", value=settings.CACHES, enter=True
        )
    media = tempfile.mkdtemp(prefix=f"mentor-test-media-{worker_name()}-")
    settings.MEDIA_ROOT = media
    return media


def remove(media):
    shutil.rmtree(media, ignore_errors=True)
