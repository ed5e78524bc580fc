"""The generation: one counter in the shared cache that says "something reader pages show changed".

Every kept page and part is stored under the generation it was made in; a save or delete of a model
an app declared (see `pagecache.apps`) bumps it after the transaction commits, so everything kept
misses at once, on every app server, and nothing needs clearing by hand. A change that happens
without a save (a scheduled article going live, a campaign ending at midnight) is found by the
apps' `page_cache_next_change` functions: the first reader after that moment bumps the generation.

Each worker trusts the generation it last read for PAGE_CACHE_LOCAL_SECONDS, so a hot page or part
costs no round trip for it; another server's change shows within that time.
"""

import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
NEXT_CHANGE_KEY = "pagecache:next-change"

# Functions returning when pages next change without a save (filled from the apps' configs).
next_change_hooks: list[Callable[[], datetime | None]] = []

_lock = threading.Lock()
# (read at [monotonic], generation, next change [epoch seconds] or 0)
_memo: tuple[float, int, float] | None = None


def current() -> int:
    """The site's generation now: this worker's memo while fresh, else one cache round trip."""
    memo = _memo
    now = time.time()
    if (
        memo is not None
        and time.monotonic() - memo[0] < settings.PAGE_CACHE_LOCAL_SECONDS
        and not (memo[2] and memo[2] <= now)
    ):
        return memo[1]
    found = cache.get_many([GENERATION_KEY, NEXT_CHANGE_KEY])
    current = found.get(GENERATION_KEY)
    if current is None:
        # add() is atomic: two servers racing here agree on one value. Start from the clock so a
        # flushed cache never reuses a generation a CDN or a stale entry might still hold.
        cache.add(GENERATION_KEY, time.time_ns() // 1_000_000, timeout=None)
        current = cache.get(GENERATION_KEY, 0)
    current = int(current)
    next_change = found.get(NEXT_CHANGE_KEY)
    when = (
        next_change[1] if next_change and next_change[0] == current else _note_next_change(current)
    )
    # Something went live by the clock: one reader per generation bumps (add() is atomic). While
    # another server bumps, this one serves this moment's pages; its next read sees the new one.
    if when and when <= now and cache.add(f"pagecache:due:{current}", 1, timeout=3600):
        return bump()
    _remember(current, when)
    return current


def _note_next_change(current: int) -> float:
    """Ask the apps when pages next change by the clock, and share the answer for `current`.
    (Computed at each bump, so readers rarely pay for it.)"""
    moments = [moment for hook in next_change_hooks if (moment := hook())]
    when = min(moments).timestamp() if moments else 0
    cache.set(NEXT_CHANGE_KEY, (current, when), timeout=None)
    return when


def _remember(current: int, next_change: float = 0) -> None:
    global _memo
    with _lock:
        _memo = (time.monotonic(), current, next_change)


def bump() -> int:
    """Make every kept page and part stale at once, on every app server."""
    try:
        current = cache.incr(GENERATION_KEY)
    except ValueError:  # the key was missing (first run, or the cache was flushed)
        cache.add(GENERATION_KEY, time.time_ns() // 1_000_000, timeout=None)
        current = cache.incr(GENERATION_KEY)
    forget_memo()  # this process sees its own change at once
    try:
        _note_next_change(current)
    except Exception:  # a failing hook must not break the admin's save; readers compute it again
        logger.exception("page cache: could not compute the next change")
    return current


def bump_on_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Bump after the transaction commits: bumping earlier would let a concurrent request keep the
    old content under the new generation. (Used by the signal receivers `pagecache.apps` connects;
    bulk writers that send no signals call it too.)"""
    transaction.on_commit(bump, using=using, robust=True)


def forget_memo() -> None:
    global _memo
    with _lock:
        _memo = None


def site_version() -> str:
    """The generation and the release, or "" when the cache is down: changes whenever anything a
    page shows may have changed (fit for validators such as ETags)."""
    try:
        return f"{current()}-{release()}"
    except Exception:
        return ""


@functools.cache
def release() -> str:
    """A fingerprint of the code and templates this server runs. It is part of every key, so a
    deploy never serves pages or parts rendered by the previous release, even while old and new
    servers run side by side (each reads only its own). Made from the files' contents, not their
    dates, so every server of one release agrees. (About 190 files: a few milliseconds, once.)"""
    root = Path(settings.BASE_DIR)
    folders = {Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]}
    folders |= {  # the project's own apps, not those installed in a virtualenv inside it
        Path(app.path)
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(root) and "site-packages" not in Path(app.path).parts
    }
    digest = hashlib.blake2b(digest_size=8)
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".xml"}:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def versioned_key(key: str, key_prefix: str, version: int | str) -> str:
    """KEY_FUNCTION of the "template_fragments" and "sitewide" caches: every key carries the
    release and the generation, so a part kept with `{% cache %}`, or a value kept with
    `get_or_set()`, is never read after a change or a deploy."""
    return f"{key_prefix}:parts:{release()}:{current()}:{version}:{key}"
