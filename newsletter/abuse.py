"""Keeping bots and floods out of the public signup form without third-party captchas.

The form is served from cached pages without a CSRF token, so these rules are its protection:
a honeypot field, a signed render time (too fast means a script), and cache-backed rate limits that
work across app servers when the cache is Redis. Bots get the same polite answer as people.
"""

import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "ts"
_TIMESTAMP_SALT = "newsletter.form-rendered"


def client_ip(request) -> str | None:
    """The reader's address. Behind our own proxy (REMOTE_ADDR in NEWSLETTER_TRUSTED_PROXIES,
    by default the loopback addresses gunicorn trusts) it is the last X-Forwarded-For entry, the
    one that proxy appended; entries further left come from the client and could be forged to
    dodge the per-IP limit."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.NEWSLETTER_TRUSTED_PROXIES
    forwarded = request.headers.get("X-Forwarded-For", "")
    candidate = forwarded.split(",")[-1].strip() if forwarded and remote in trusted else remote
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def form_timestamp() -> str:
    """A signed render time for the form; a script cannot forge an older one."""
    return signing.dumps(int(time.time()), salt=_TIMESTAMP_SALT)


def filled_too_fast(token: str) -> bool:
    """True when the form came back sooner than a person can type, or without a valid stamp."""
    minimum = float(settings.NEWSLETTER_MIN_FILL_SECONDS)
    try:
        rendered_at = int(signing.loads(token or "", salt=_TIMESTAMP_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return True
    return time.time() - rendered_at < minimum


def _limit(name: str) -> tuple[int, int]:
    """(attempts, window in seconds) from NEWSLETTER_RATE_LIMITS."""
    return settings.NEWSLETTER_RATE_LIMITS[name]


def hit_rate_limit(name: str, key: str) -> bool:
    """Count one attempt for `key` under limit `name`; True once the window's limit is passed.

    A fixed window: `add` starts it with its expiry, `incr` is atomic on Redis. If the cache is down,
    the form stays open (logged) rather than failing readers with an error page."""
    attempts, window = _limit(name)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"newsletter:rate:{name}:{digest}"
    try:
        cache.add(cache_key, 0, timeout=window)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window)
            count = 1
    except Exception:
        logger.exception("Rate-limit cache unavailable; letting the signup through")
        return False
    return count > attempts
