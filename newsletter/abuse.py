"""Keeping bots and floods out of the public signup form without third-party captchas.

The form is served from cached pages without a CSRF token, so these rules are its protection:
a honeypot field, a signed render time (too fast means a script), and cache-backed rate limits that
work across app servers when the cache is Redis. Bots get the same polite answer as people.
"""

import enum
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


def client_ip(request) -> str | None:
    """The reader's address, as far as our proxies vouch for it (see edge.client)."""
    return edge_client_ip(request)


def form_timestamp() -> str:
    """A signed stamp of now: the signup script fetches one (`form_stamp`) when the reader first
    touches the form, so no stamp lives in cached HTML. A script cannot forge an older one."""
    return signing.dumps(int(time.time()), salt=_TIMESTAMP_SALT)


class Stamp(enum.Enum):
    OK = "ok"
    MISSING = "missing"  # no script ran (or it could not fetch one): ask the person to send again
    STALE = "stale"  # older than NEWSLETTER_FORM_MAX_AGE_SECONDS: a reused page, or a long pause
    FORGED = "forged"  # not signed by us: a script
    TOO_FAST = "too fast"  # sent sooner than a person can type: a script


def check_stamp(token: str) -> Stamp:
    if not token:
        return Stamp.MISSING
    try:
        stamped_at = int(signing.loads(token, salt=_TIMESTAMP_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return Stamp.FORGED
    age = time.time() - stamped_at
    if age > settings.NEWSLETTER_FORM_MAX_AGE_SECONDS:
        return Stamp.STALE
    if age < float(settings.NEWSLETTER_MIN_FILL_SECONDS):
        return Stamp.TOO_FAST
    return Stamp.OK


def filled_too_fast(token: str) -> bool:
    """True when the stamp says a script sent the form (forged, or faster than a person types)."""
    return check_stamp(token) in {Stamp.FORGED, Stamp.TOO_FAST}


def _limit(name: str) -> tuple[int, int]:
    """(attempts, window in seconds) from NEWSLETTER_RATE_LIMITS."""
    return settings.NEWSLETTER_RATE_LIMITS[name]


def hit_rate_limit(name: str, key: str) -> bool:
    """Count one attempt for `key` under limit `name`; True once the window's limit is passed."""
    return edge_hit_rate_limit(f"newsletter:{name}", key, limit=_limit(name))
