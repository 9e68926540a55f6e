"""Test processes running side by side (pytest-xdist workers, or two runs at
once) share no cache keys, no media directory, and concurrency tests run only
where the database can hold them (tests/worker_isolation.py, tests/conftest.py)."""

import os
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests.worker_isolation import ProcessRedisCache, worker_name


def other_process_cache():
    """A cache on the same Redis database as this process's, as another
    worker's is, under that worker's prefix."""
    options = settings.CACHES["default"]
    return ProcessRedisCache(options["LOCATION"], {"KEY_PREFIX": f"other-{uuid.uuid4().hex}"})


def test_clearing_the_cache_leaves_other_processes_keys():
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("the cache is in this process's memory without REDIS_URL")
    try:
        cache.set("probe", 1)
    except redis.RedisError as error:
        pytest.skip(f"Redis does not answer at {settings.CACHES['default']['LOCATION']}: {error}")
    other = other_process_cache()
    other.set("rate-limit", 3)
    try:
        cache.clear()
        assert cache.get("probe") is None
        assert other.get("rate-limit") == 3
    finally:
        other.clear()
    assert other.get("rate-limit") is None


def test_each_process_has_its_own_cache_prefix_and_media_directory():
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    if "Redis" in settings.CACHES["default"]["BACKEND"]:
        assert prefix.endswith(f"-test-{worker_name()}-{os.getpid()}")
    media = Path(settings.MEDIA_ROOT)
    assert media.is_dir() and worker_name() in media.name
    assert not media.is_relative_to(settings.BASE_DIR)


@pytest.mark.postgres_concurrency
def test_concurrency_tests_run_only_on_postgresql():
    assert connection.vendor == "postgresql"
