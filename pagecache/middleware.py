"""A full-page cache for anonymous readers, shared by every app server through the cache (Redis).

Why not Django's `UpdateCacheMiddleware`/`FetchFromCacheMiddleware`: they cannot be invalidated
(entries live until they expire), they key on `Vary: Cookie` (so every reader with a csrftoken
cookie gets a separate copy), and they would replay a stale CSP nonce. Here:

- Invalidation is a *generation counter* kept in the cache. Every entry records the generation it
  was made under; `bump_generation()` (called on commit after any registered model is saved or
  deleted) makes every page miss at once, on every app server. A hit is one MGET (generation and
  entry together); stale entries are overwritten or age out.
  Apps register the models their pages show with `invalidate_on_change(Model, ...)`.
- A request is served from the cache only when it carries no session or messages cookie (logged-in
  editors, previews and pending flash messages always reach the view) and is not for the admin.
- A response is stored only if it is a GET with status 200 (301 and 404 briefly), sets no cookie,
  did not use a CSRF token, and does not say `private`/`no-store`/`no-cache`.
- A CSP nonce the page used is swapped for a placeholder on store and for a fresh nonce on replay.
- Public responses get `Cache-Control: public, max-age=0, s-maxage=N, stale-while-revalidate=M`, so
  a CDN may keep them briefly; everything else gets `private, no-store` unless the view said otherwise.
- After a change, the first request for a page renders it again while the others get the copy
  from before the change (`claim_render`), marked `X-Cache: stale` and `no-store`.
"""

import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
NONCE_PLACEHOLDER = b"__PAGE_CACHE_CSP_NONCE__"
CACHEABLE_STATUSES = {200, 301, 404}
SHORT_LIVED_STATUSES = {301, 404}
# How long one request may hold the right to re-render a changed page (see `claim_render`).
RENDER_CLAIM_SECONDS = 10
# Marketing parameters change nothing on the page; dropping them from the key keeps one copy.
IGNORED_QUERY_PARAMS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ref"})
# Request headers a cached page may vary on (the key includes them). A response that varies on any
# other header (except Cookie, see the module docstring) is not stored.
KEYED_VARY_HEADERS = ("accept-encoding", "accept-language")
# Response headers that belong to one request, never replayed.
PER_REQUEST_HEADERS = {"content-security-policy", "x-request-id", "set-cookie", "date", "x-cache"}

_next_change_hooks: list[Callable[[], datetime | None]] = []
_generation_hooks: list[Callable[[int], None]] = []


# --- Invalidation -------------------------------------------------------------------------------


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # add() is atomic: two servers racing here agree on one value. Start from the clock so a
        # flushed cache never reuses a generation a CDN or a stale entry might still hold.
        cache.add(GENERATION_KEY, time.time_ns() // 1_000_000, timeout=None)
        generation = cache.get(GENERATION_KEY, 0)
    return int(generation)


def site_generation() -> int | None:
    """The generation now (this process's memo while fresh), or None when the cache is down. It
    changes whenever anything a page shows changes: fit for validators such as ETags."""
    try:
        return _recent_generation() or current_generation()
    except Exception:
        return None


def bump_generation() -> int:
    """Make every cached page stale at once, on every app server. Returns the new generation."""
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:  # the key was missing (first run, or the cache was flushed)
        current_generation()
        generation = cache.incr(GENERATION_KEY)
    _remember_generation(generation)  # this process sees its own change at once
    for hook in _generation_hooks:
        try:
            hook(generation)
        except Exception:  # a failing CDN purge must not break the admin's save
            logger.exception("page cache: generation hook %r failed", hook)
    return generation


def bump_generation_on_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Bump after the transaction commits: bumping earlier would let a concurrent request cache the
    old content under the new generation. (A save with tags and authors queues a few bumps; an
    INCR costs microseconds, so they are not deduplicated.)"""
    transaction.on_commit(bump_generation, using=using, robust=True)


def _on_change(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    if kwargs.get("action", "post_").startswith("pre_"):  # m2m_changed fires before and after
        return
    bump_generation_on_commit(using)


def invalidate_on_change(*models: type[Model] | str) -> None:
    """Drop every cached page whenever a row of one of `models` (classes or "app_label.Model"
    labels) is saved or deleted (or, for their many-to-many fields, linked or unlinked). Call it
    from an app's `ready()` or signals module."""
    for model_or_label in models:
        model = (
            apps.get_model(model_or_label) if isinstance(model_or_label, str) else model_or_label
        )
        uid = f"page_cache:{model._meta.label}"
        post_save.connect(_on_change, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid, weak=False)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _on_change, sender=through, dispatch_uid=f"{uid}:{field.name}", weak=False
            )


def expire_at_next_change(hook: Callable[[], datetime | None]) -> None:
    """Register a function returning when the pages will next change without a save (a scheduled
    article going live), or None. Cached pages expire no later than that."""
    _next_change_hooks.append(hook)


def on_generation_bump(hook: Callable[[int], None]) -> None:
    """Register a function called with the new generation after each bump (e.g. a CDN purge)."""
    _generation_hooks.append(hook)


def _seconds_until_next_change(generation: int) -> float | None:
    if not _next_change_hooks:
        return None
    key = f"pagecache:{generation}:next-change"
    when = cache.get(key)
    if when is None:
        moments = [moment for hook in _next_change_hooks if (moment := hook())]
        when = min(moments).timestamp() if moments else 0
        cache.set(key, when, settings.PAGE_CACHE_SECONDS)
    return when - time.time() if when else None


# --- Listing counts -----------------------------------------------------------------------------


class CountCachingPaginator(Paginator):
    """A paginator whose COUNT(*) is kept per generation (see `remember`): counting every published
    article costs time in proportion to the archive (60 ms at 50,000 rows) on every listing page,
    yet the number only changes when something is published or unpublished, which bumps the
    generation, or when a scheduled article goes live, which the entry's expiry covers."""

    def __init__(self, *args, count_scope: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_scope = count_scope

    @cached_property
    def count(self) -> int:
        if not settings.LISTING_COUNT_CACHE:
            return super().count
        return remember(
            ("count", self.count_scope), lambda: super(CountCachingPaginator, self).count
        )


# --- Keys ---------------------------------------------------------------------------------------


def canonical_query(query_string: str) -> str:
    pairs = [
        (name, value)
        for name, value in parse_qsl(query_string, keep_blank_values=True)
        if name not in IGNORED_QUERY_PARAMS and not name.startswith("utm_")
    ]
    return urlencode(sorted(pairs))


def page_key(request: HttpRequest) -> str:
    """What varies the page: the release, scheme, host, path, query and the keyed request headers.
    (The generation is stored inside the entry, so a hit costs one round trip: see
    `lookup_entry`.)"""
    parts = [
        release(),
        request.scheme or "http",
        request.get_host(),
        request.path,
        canonical_query(request.META.get("QUERY_STRING", "")),
        *(request.headers.get(name, "") for name in KEYED_VARY_HEADERS),
    ]
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
    return f"pagecache:page:{digest}"


@functools.cache
def release() -> str:
    """A fingerprint of the code and templates this server runs. It is part of every key, so a
    deploy never serves pages or parts rendered by the previous release, even while old and new
    servers run side by side (each reads only its own). Made from the files' contents, not their
    dates, so every server of one release agrees. (About 190 files: a few milliseconds, once.)"""
    root = Path(settings.BASE_DIR)
    folders = {Path(__file__).parent, *(Path(folder) for folder in settings.TEMPLATES[0]["DIRS"])}
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


def _get_many(keys: list[str]) -> dict:
    """One round trip for several keys (config.cache keeps this cheap on Redis)."""
    return cache.get_many(keys)


# --- Per-process copies -------------------------------------------------------------------------
# Each worker keeps the generation it last read for PAGE_CACHE_LOCAL_SECONDS and a small LRU of the
# pages it served, so a hot page costs no network round trip at all. Another server's publish is
# therefore seen within PAGE_CACHE_LOCAL_SECONDS (1 s by default; 0 turns both off).

_local_lock = threading.Lock()
_local_generation: tuple[float, int] | None = None  # (read at, monotonic clock; generation)
_local_pages: OrderedDict[str, tuple] = OrderedDict()


def _remember_generation(generation: int) -> None:
    global _local_generation
    _local_generation = (time.monotonic(), int(generation))


def _recent_generation() -> int | None:
    memo = _local_generation
    seconds = settings.PAGE_CACHE_LOCAL_SECONDS
    if memo is None or seconds <= 0 or time.monotonic() - memo[0] >= seconds:
        return None
    return memo[1]


def _local_get(key: str, generation: int) -> tuple | None:
    with _local_lock:
        entry = _local_pages.get(key)
        if entry is None or not _is_current(entry, generation):
            return None
        _local_pages.move_to_end(key)
        return entry


def _local_put(key: str, entry: tuple) -> None:
    if settings.PAGE_CACHE_LOCAL_SECONDS <= 0:
        return
    with _local_lock:
        _local_pages[key] = entry
        _local_pages.move_to_end(key)
        while len(_local_pages) > settings.PAGE_CACHE_LOCAL_ENTRIES:
            _local_pages.popitem(last=False)


def forget_local_copies() -> None:
    """Drop this process's copies (tests; the shared cache is untouched)."""
    global _local_generation
    with _local_lock:
        _local_pages.clear()
        _local_generation = None


# --- Entries ------------------------------------------------------------------------------------
# An entry is (generation, expires at [epoch seconds], *payload). It is current while the
# generation is the site's and the expiry has not passed: the shared cache drops it at that time by
# itself, and this process's copy checks it (a scheduled article going live changes pages without
# a save, so without the check a local copy would outlive it).


def _is_unexpired(entry) -> bool:
    return isinstance(entry, tuple) and len(entry) > 2 and entry[1] > time.time()


def _is_current(entry, generation: int) -> bool:
    return _is_unexpired(entry) and entry[0] == generation


def lookup_entry(key: str, *, stale_ok: bool = False) -> tuple[int, tuple | None, bool]:
    """(current generation, payload or None, whether the payload is stale): from this process's
    copies when they are fresh, else in one cache round trip (MGET of generation and entry).
    With `stale_ok`, an entry made under an older generation (but not past its expiry) is
    returned too, marked stale."""
    generation = _recent_generation()
    if generation is not None:
        entry = _local_get(key, generation)
        if entry is not None:
            return generation, entry[2:], False
        entry = _get_many([key]).get(key)
    else:
        found = _get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = current_generation()
        _remember_generation(generation)
        entry = found.get(key)
    if _is_current(entry, generation):
        _local_put(key, entry)
        return generation, entry[2:], False
    if stale_ok and _is_unexpired(entry):
        return generation, entry[2:], True
    return generation, None, False


def claim_render(key: str, generation: int) -> bool:
    """Whether this request should render `key` for `generation`: True for the first to ask
    (on every server), False while another renders it. The claim lapses by itself after
    RENDER_CLAIM_SECONDS, so a render that fails holds nobody up for longer."""
    try:
        return cache.add(f"{key}:render:{generation}", 1, RENDER_CLAIM_SECONDS)
    except Exception:
        return True


def store_entry(key: str, generation: int, payload: tuple, timeout: int) -> None:
    """Keep `payload` under `key`, tagged with the generation read *before* it was computed: if a
    change committed meanwhile, the entry is already stale and is never served. It expires after
    `timeout` seconds, or sooner when a scheduled article goes live before then."""
    until_change = _seconds_until_next_change(generation)
    if until_change is not None:
        if until_change <= 1:
            return
        timeout = min(timeout, int(until_change))
    entry = (generation, time.time() + timeout, *payload)
    cache.set(key, entry, timeout)
    _local_put(key, entry)


def remember(key_parts: tuple, compute: Callable[[], object]) -> object:
    """`compute()`, kept until anything registered with `invalidate_on_change` changes (or
    PAGE_CACHE_SECONDS pass): for values and rendered fragments that every page needs and only
    a save can change. With the cache down, computes every time."""
    digest = hashlib.blake2b(repr((release(), *key_parts)).encode(), digest_size=16).hexdigest()
    key = f"pagecache:value:{digest}"
    try:
        generation, payload, _ = lookup_entry(key)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return compute()
    if payload is not None:
        return payload[0]
    value = compute()
    try:
        store_entry(key, generation, (value,), settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("page cache: could not store %r", key_parts, exc_info=True)
    return value


# --- Rules --------------------------------------------------------------------------------------


def request_may_use_cache(request: HttpRequest) -> bool:
    if not settings.PAGE_CACHE_ENABLED or request.method not in {"GET", "HEAD"}:
        return False
    if request.path.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS)):
        return False
    if "authorization" in request.headers:
        return False
    # A session cookie means someone logged in (or mid-flow); messages must reach their reader.
    cookies = request.COOKIES
    return not (settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies)


def _cache_control_forbids_storing(response: HttpResponse) -> bool:
    value = response.get("Cache-Control", "").lower()
    return any(word in value for word in ("private", "no-store", "no-cache"))


def response_may_be_stored(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code not in CACHEABLE_STATUSES:
        return False
    if response.streaming or response.cookies or response.has_header("Set-Cookie"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page carries a CSRF token
        return False
    if _cache_control_forbids_storing(response):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= {"cookie", *KEYED_VARY_HEADERS}


def mark_public(response: HttpResponse) -> None:
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.PAGE_CACHE_CDN_SECONDS,
        stale_while_revalidate=settings.PAGE_CACHE_CDN_STALE_SECONDS,
    )


# --- The middleware -----------------------------------------------------------------------------


class PageCacheMiddleware:
    """Place it inside the CSP middleware (so replayed pages get a fresh policy header) and before
    the session, CSRF, auth and messages middleware (so a hit skips them)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request_may_use_cache(request):
            request.page_cache_status = "bypass"
            return self._finish_uncached(request, self.get_response(request))
        try:
            key = page_key(request)
            generation, entry, stale = lookup_entry(key, stale_ok=True)
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400 itself
        except Exception:  # the cache is down: serve readers from the database
            logger.warning("page cache unavailable", exc_info=True)
            request.page_cache_status = "error"
            return self._finish_uncached(request, self.get_response(request))
        # After a change every page misses at once. While one request renders a page again,
        # the others get the copy from before the change (what a CDN's stale-while-revalidate
        # does): a busy page costs one render per change, not one per reader in the meantime.
        if stale and request.method == "GET" and claim_render(key, generation):
            entry = None  # this request renders it again
        if entry is not None:
            request.page_cache_status = "stale" if stale else "hit"
            response = self._replay(request, entry)
            response["X-Cache"] = request.page_cache_status
            if stale:  # for this moment only: a CDN must not keep it
                response["Cache-Control"] = "no-store, max-age=0"
            return response

        request.page_cache_status = "miss"
        response = self.get_response(request)
        if response_may_be_stored(request, response):
            self._store(request, response, key, generation)
            mark_public(response)
            response["X-Cache"] = "miss"
        else:
            self._finish_uncached(request, response)
        return response

    def _finish_uncached(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            settings.PAGE_CACHE_ENABLED
            and request.method in {"GET", "HEAD"}
            and not response.has_header("Cache-Control")
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response

    def _store(
        self, request: HttpRequest, response: HttpResponse, key: str, generation: int
    ) -> None:
        timeout = (
            settings.PAGE_CACHE_SHORT_SECONDS
            if response.status_code in SHORT_LIVED_STATUSES
            else settings.PAGE_CACHE_SECONDS
        )
        content = response.content
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:  # generated, so the page may hold it
            content = content.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in PER_REQUEST_HEADERS
        ]
        try:
            store_entry(key, generation, (response.status_code, headers, content), timeout)
        except Exception:
            logger.warning("page cache: could not store %s", request.path, exc_info=True)

    def _replay(self, request: HttpRequest, entry: tuple) -> HttpResponse:
        status, headers, content = entry
        if NONCE_PLACEHOLDER in content:
            nonce = getattr(request, "_csp_nonce", None)
            # str() generates the nonce, so the CSP middleware puts the same one in its header.
            content = content.replace(NONCE_PLACEHOLDER, str(nonce).encode())
        response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
        for name, value in headers:
            response[name] = value
        if request.method == "HEAD":
            response["Content-Length"] = str(len(content))
        mark_public(response)
        return response
