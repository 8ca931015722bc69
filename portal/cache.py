"""The default cache: Redis, with the database's cache table standing in while Redis is down.

Sign-in keeps its rate-limit counts and its used authenticator codes in the default cache
(django-allauth reads `django.core.cache.cache`). Were that cache to raise while Redis is down,
nobody could sign in, reset a password or confirm it is them, and the 30-minute idle sign-out
would lock everyone out within half an hour. On a connection error this cache carries on in
the cache named by `FALLBACK` (a database cache, which every web process shares, so the limits
still hold across processes) and keeps away from Redis for `RETRY_AFTER` seconds, so one
outage costs a request one connection timeout, not one per cache call (docs/adr/0018).
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


class RedisCacheWithFallback(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        self.fallback_alias = params.pop("FALLBACK")
        self.retry_after = params.pop("RETRY_AFTER", 10)
        super().__init__(server, params)
        self._redis_down_until = 0.0

    @property
    def fallback(self):
        return caches[self.fallback_alias]

    @property
    def redis_is_down(self):
        return time.monotonic() < self._redis_down_until

    def _either(self, method, *args, **kwargs):
        if not self.redis_is_down:
            try:
                return getattr(super(), method)(*args, **kwargs)
            except REDIS_DOWN as error:
                self._redis_down_until = time.monotonic() + self.retry_after
                logger.warning(
                    "Redis cache unreachable (%s): using the %r cache for %ss",
                    error,
                    self.fallback_alias,
                    self.retry_after,
                )
        return getattr(self.fallback, method)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._either("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._either("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._either("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._either("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._either("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._either("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._either("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._either("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._either("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._either("delete_many", *args, **kwargs)

    def clear(self):
        return self._either("clear")
