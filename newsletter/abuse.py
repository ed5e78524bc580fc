"""Keeping bots and floods out of the public signup form without third-party captchas.

The form is served from cached pages without a CSRF token, so these rules are its protection:
a honeypot field, a signed render time (too fast means a script), and cache-backed rate limits that
work across app servers when the cache is Redis. Bots get the same polite answer as people.
"""

import logging
import time

from django.conf import settings
from django.core import signing

from edge.client import client_ip as edge_client_ip
from edge.ratelimit import hit_rate_limit as edge_hit_rate_limit

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "ts"
_TIMESTAMP_SALT = "newsletter.form-rendered"

# Limits as (attempts, window in seconds); override in settings.
DEFAULT_LIMITS = {
    "ip": (20, 3600),
    "ip_burst": (5, 60),
    "email": (5, 3600),
}


def client_ip(request) -> str | None:
    """The reader's address, as far as our proxies vouch for it (see edge.client)."""
    return edge_client_ip(request)


def form_timestamp() -> str:
    """A signed render time for the form; a script cannot forge an older one."""
    return signing.dumps(int(time.time()), salt=_TIMESTAMP_SALT)


def filled_too_fast(token: str) -> bool:
    """True when the form came back sooner than a person can type, or without a valid stamp."""
    minimum = float(getattr(settings, "NEWSLETTER_MIN_FILL_SECONDS", 3))
    try:
        rendered_at = int(signing.loads(token or "", salt=_TIMESTAMP_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return True
    return time.time() - rendered_at < minimum


def _limit(name: str) -> tuple[int, int]:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "NEWSLETTER_RATE_LIMITS", {})}
    return limits[name]


def hit_rate_limit(name: str, key: str) -> bool:
    """Count one attempt for `key` under limit `name`; True once the window's limit is passed."""
    return edge_hit_rate_limit(f"newsletter:{name}", key, limit=_limit(name))
