"""Fixed-window rate limits kept in the cache, so every app server counts together when the cache
is Redis. The one limiter the apps share (newsletter signups, PayPal notifications, password
resets)."""

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def hit_rate_limit(scope: str, key: str, *, limit: tuple[int, int]) -> bool:
    """Count one attempt for `key` in `scope`; True once more than `limit` = (attempts, window in
    seconds) came within the window.

    `add` starts the window with its expiry, `incr` is atomic on Redis. If the cache is down the
    request goes through (logged) rather than failing readers with an error page."""
    attempts, window = limit
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"rate:{scope}:{digest}"
    try:
        cache.add(cache_key, 0, timeout=window)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window)
            count = 1
    except Exception:
        logger.exception("Rate-limit cache unavailable; letting %s through", scope)
        return False
    return count > attempts
