"""Cache backends: Redis minus a cost on every call, and the generation-keyed parts cache.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for each cache operation, and
building one registers some 170 response callbacks: about 0.2 ms, more than the round trip to
Redis itself, paid by every cache read of every page. A `redis.Redis` is thread-safe and only
borrows connections from its pool, so one per pool is enough. (redis-py pools notice a fork and
reconnect, so gunicorn's preloading master is safe.)"""

import logging

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients_by_pool = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients_by_pool.get(id(pool))
        if client is None:
            client = self._clients_by_pool[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCacheBackend(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient


class PartsCacheMixin:
    """The "template_fragments" cache, which Django's `{% cache %}` tag uses by default: its keys
    carry the generation (KEY_FUNCTION = `pagecache.generation.versioned_key`), so a change drops
    every part at once. With FRAGMENT_CACHE off nothing is kept; with the cache down, parts are
    rendered every time (a reader gets a slower page, never an error)."""

    def get(self, key, default=None, version=None):
        if not settings.FRAGMENT_CACHE:
            return default
        try:
            return super().get(key, default, version)
        except Exception:
            logger.warning("parts cache unavailable", exc_info=True)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._store(super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._store(super().add, key, value, timeout, version)

    def _store(self, method, key, value, timeout, version):
        if not settings.FRAGMENT_CACHE:
            return False
        try:
            return method(key, value, timeout, version)
        except Exception:
            logger.warning("parts cache: could not store %r", key, exc_info=True)
            return False


class PartsRedisCache(PartsCacheMixin, RedisCacheBackend):
    pass


class PartsLocMemCache(PartsCacheMixin, LocMemCache):
    pass
