"""The rules, in one place: which lockouts apply to a login attempt, recording a failure, and the
limit on password-reset requests."""

import math

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from edge.client import client_ip
from edge.ratelimit import hit_rate_limit
from logins.models import LoginLockout

LOCKED_MESSAGE = (
    "Too many failed logins for this account or from your address. Try again in {minutes} "
    "minute{plural}, or ask an administrator to lift the lock (Logins → Login lockouts)."
)
RESET_LIMIT_MESSAGE = (
    "Too many password reset requests for this address. Please wait an hour and try again."
)


def keys_for(request: HttpRequest | None, username: str) -> list[tuple[str, str]]:
    """The (kind, key) pairs a login attempt counts against: the account and the address."""
    keys = [(LoginLockout.Kind.ACCOUNT, username.strip().lower())] if username.strip() else []
    address = client_ip(request) if request is not None else None
    if address:
        keys.append((LoginLockout.Kind.ADDRESS, address))
    return keys


def locked_message(request: HttpRequest | None, username: str) -> str | None:
    """The message to show while the account or the address is locked, else None."""
    keys = keys_for(request, username)
    candidates = LoginLockout.objects.locked().filter(key__in=[key for _, key in keys])
    locks = [lock for lock in candidates if (lock.kind, lock.key) in keys]
    if not locks:
        return None
    remaining = max(lock.locked_until for lock in locks) - timezone.now()
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    return LOCKED_MESSAGE.format(minutes=minutes, plural="" if minutes == 1 else "s")


def record_failure(request: HttpRequest | None, username: str) -> None:
    for kind, key in keys_for(request, username):
        LoginLockout.record_failure(kind=kind, key=key)


def forget_account_failures(username: str) -> None:
    """A successful login clears its account's count (not its address's: an attacker could log
    in to an account of their own to reset it)."""
    LoginLockout.objects.filter(
        kind=LoginLockout.Kind.ACCOUNT, key=username.strip().lower(), locked_until__isnull=True
    ).delete()


def too_many_resets(request: HttpRequest | None, email: str) -> bool:
    """Count one reset request per address and per email; True once either passes its limit."""
    address = (client_ip(request) if request is not None else None) or "unknown"
    by_address = hit_rate_limit(
        "password-reset:address", address, limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    )
    by_email = hit_rate_limit(
        "password-reset:email", email.strip().lower(), limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    )
    return by_address or by_email
