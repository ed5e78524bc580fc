"""Cache backends: Redis minus a cost on every call, and the caches keyed by the generation.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for each cache operation, and
building one registers some 170 response callbacks: about 0.2 ms, more than the round trip to
Redis itself, paid by every cache read of every page. A `redis.Redis` is thread-safe and only
borrows connections from its pool, so one per pool is enough. (redis-py pools notice a fork and
reconnect, so gunicorn's preloading master is safe.)"""

import logging
import pickle
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar

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
    rendered every time (a reader gets a slower page, never an error).

    A key's value never changes (a change makes new keys), so each worker also keeps the parts it
    read in memory (PAGE_CACHE_LOCAL_ENTRIES of them): a page assembled from parts then costs no
    round trip for them, as long as the worker trusts its generation (PAGE_CACHE_LOCAL_SECONDS)."""

    def get(self, key, default=None, version=None):
        if not settings.FRAGMENT_CACHE:
            return default
        try:
            full_key = self.make_and_validate_key(key, version=version)
            local = _kept_locally(_local_parts, full_key)
            if local is not _MISSING:
                return local
            value = super().get(key, _MISSING, version)
        except Exception:
            logger.warning("parts cache unavailable", exc_info=True)
            return default
        if value is _MISSING:
            return default
        _keep_locally(_local_parts, full_key, value, settings.PAGE_CACHE_SECONDS)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._store(super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._store(super().add, key, value, timeout, version)

    def _store(self, method, key, value, timeout, version):
        if not settings.FRAGMENT_CACHE:
            return False
        try:
            stored = method(key, value, timeout, version)
            seconds = self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout
            if seconds is None or seconds > 0:  # 0: not to be kept (previews)
                full_key = self.make_and_validate_key(key, version=version)
                _keep_locally(_local_parts, full_key, value, seconds or settings.PAGE_CACHE_SECONDS)
            return stored
        except Exception:
            logger.warning("parts cache: could not store %r", key, exc_info=True)
            return False


_MISSING = object()
_local_lock = threading.Lock()
_local_parts: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_sitewide: OrderedDict[str, tuple[float, bytes]] = OrderedDict()


def _keep_locally(store: OrderedDict, full_key: str, value, seconds: float) -> None:
    """Keep `value` in this process's `store` for `seconds` (nothing with PAGE_CACHE_LOCAL_SECONDS
    at 0), the least recently kept dropped past PAGE_CACHE_LOCAL_ENTRIES."""
    if settings.PAGE_CACHE_LOCAL_SECONDS <= 0:
        return
    with _local_lock:
        store[full_key] = (time.time() + seconds, value)
        store.move_to_end(full_key)
        while len(store) > settings.PAGE_CACHE_LOCAL_ENTRIES:
            store.popitem(last=False)


def _kept_locally(store: OrderedDict, full_key: str):
    """What `store` keeps under `full_key` while it is fresh, else _MISSING."""
    local = store.get(full_key)
    return local[1] if local is not None and local[0] > time.time() else _MISSING


def forget_local_parts() -> None:
    """Drop this process's copies of parts and sitewide values."""
    with _local_lock:
        _local_parts.clear()
        _local_sitewide.clear()


class PartsRedisCache(PartsCacheMixin, RedisCacheBackend):
    pass


class PartsLocMemCache(PartsCacheMixin, LocMemCache):
    pass


class SitewideCacheMixin:
    """The "sitewide" cache: values every page reads (the menu, settings rows, the sidebar's rows),
    kept with `get_or_set()`. Its keys carry the generation, as the parts cache's do; with the
    cache down, values are read from the database every time. Unlike parts, it is kept with
    FRAGMENT_CACHE off, and it keeps no copies in the worker's memory: its values are model
    instances, which a caller could change, so each read gets its own.

    Within one request, though, a value is read once: a page asks for the menu three times and for
    the site's settings twice, and each copy cost an unpickling (0.1 ms for the menu). The parts of
    one page share that request's copy, as they would share a view's attribute."""

    def get(self, key, default=None, version=None):
        try:
            full_key = self.make_and_validate_key(key, version=version)
        except Exception:  # no generation (the cache is down): read, and say so, as usual
            return self._read(key, None, default, version)
        reads = _this_requests_reads.get()
        if reads is None:
            return self._read(key, full_key, default, version)
        if full_key not in reads:
            value = self._read(key, full_key, _MISSING, version)
            if value is _MISSING:
                return default
            reads[full_key] = value
        return reads[full_key]

    def _read(self, key, full_key: str | None, default, version):
        """`key`'s value from the cache; `full_key` is its key with the generation, or None when
        the generation cannot be read."""
        try:
            return super().get(key, default, version)
        except Exception:
            logger.warning("sitewide cache unavailable", exc_info=True)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._forget_this_requests_reads()
        return self._store(super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._store(super().add, key, value, timeout, version)

    def delete(self, key, version=None):
        self._forget_this_requests_reads()
        return super().delete(key, version)

    @staticmethod
    def _forget_this_requests_reads() -> None:
        reads = _this_requests_reads.get()
        if reads:
            reads.clear()

    @staticmethod
    def _store(method, key, value, timeout, version):
        try:
            return method(key, value, timeout, version)
        except Exception:
            logger.warning("sitewide cache: could not store %r", key, exc_info=True)
            return False


# The sitewide values this request has read (None outside a request: a task or a command reads
# afresh each time). Set by `begin_request` and `end_request` (request_started and
# request_finished, connected in pagecache/apps.py).
_this_requests_reads: ContextVar[dict | None] = ContextVar("sitewide_reads", default=None)


def begin_request(**kwargs) -> None:
    _this_requests_reads.set({})


def end_request(**kwargs) -> None:
    _this_requests_reads.set(None)


class SitewideRedisCache(SitewideCacheMixin, RedisCacheBackend):
    """With Redis, each worker also keeps what it read for PAGE_CACHE_LOCAL_SECONDS (the time it
    trusts its generation, so a change on another server shows no later than a page does): a page
    reads five of these values, and each read was a round trip. Kept pickled, so every request
    still gets its own copy."""

    def _read(self, key, full_key, default, version):
        if full_key is None:  # no generation (the cache is down): the mixin says so, and misses
            return super()._read(key, full_key, default, version)
        local = _kept_locally(_local_sitewide, full_key)
        if local is not _MISSING:
            return pickle.loads(local)
        value = super()._read(key, full_key, _MISSING, version)
        if value is _MISSING:
            return default
        self._keep_pickled(full_key, value)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        stored = super().set(key, value, timeout, version)
        if stored is not False:  # (False: the cache is down, and the mixin said so)
            self._keep_pickled(self.make_and_validate_key(key, version=version), value)
        return stored

    def delete(self, key, version=None):
        with _local_lock:
            _local_sitewide.clear()  # rare (tests, a command): simpler than finding its copies
        return super().delete(key, version)

    @staticmethod
    def _keep_pickled(full_key: str, value) -> None:
        if settings.PAGE_CACHE_LOCAL_SECONDS > 0:  # (no pickling for nothing)
            pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            _keep_locally(_local_sitewide, full_key, pickled, settings.PAGE_CACHE_LOCAL_SECONDS)


class SitewideLocMemCache(SitewideCacheMixin, LocMemCache):
    pass
