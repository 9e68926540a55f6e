"""Django's Redis cache, failing open while Redis is unreachable.

The cache holds nothing the site cannot do without: allauth's rate limits
(failed sign-ins, password resets) and their short locks. With Redis down the
plain RedisCache raised into every sign-in, so nobody could sign in; this one
logs the outage and answers as an empty cache that stores nothing (``add``
succeeds), so sign-in and password reset work and are not rate-limited until
Redis is back (README, "Production": a decision, written down there).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# One warning per this many seconds, not one per request.
WARN_EVERY = 60


class FailOpenRedisCache(RedisCache):
    _warned_at = 0.0

    def _down(self, operation, error, result):
        now = time.monotonic()
        if now - FailOpenRedisCache._warned_at >= WARN_EVERY:
            FailOpenRedisCache._warned_at = now
            logger.warning(
                "cache unreachable (%s: %s): rate limits are not enforced until it is back",
                operation,
                error,
            )
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version=version)
        except RedisError as error:
            return self._down("add", error, True)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version=version)
        except RedisError as error:
            return self._down("get", error, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version=version)
        except RedisError as error:
            return self._down("set", error, None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version=version)
        except RedisError as error:
            return self._down("touch", error, False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version=version)
        except RedisError as error:
            return self._down("delete", error, False)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version=version)
        except RedisError as error:
            return self._down("get_many", error, {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version=version)
        except RedisError as error:
            return self._down("has_key", error, False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version=version)
        except RedisError as error:
            return self._down("set_many", error, list(data))

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version=version)
        except RedisError as error:
            return self._down("delete_many", error, None)
