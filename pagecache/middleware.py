"""A full-page cache for anonymous readers, shared by every app server through the cache (Redis).

Why not Django's `UpdateCacheMiddleware`/`FetchFromCacheMiddleware`: they cannot be invalidated
(entries live until they expire), they key on `Vary: Cookie` (so every reader with a csrftoken
cookie gets a separate copy), and they would replay a stale CSP nonce. Here:

- Invalidation is the *generation* (pagecache/generation.py). Every entry records the generation
  it was made under; a change to a model an app declared makes every page miss at once, on every
  app server. Stale entries are overwritten or age out.
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

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import lazy
from django.utils.http import parse_http_date_safe

from pagecache.backends import forget_local_parts
from pagecache.generation import current as current_generation
from pagecache.generation import forget_memo, release, site_version

logger = logging.getLogger(__name__)

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


def _get_many(keys: list[str]) -> dict:
    """One round trip for several keys (pagecache.backends keeps this cheap on Redis)."""
    return cache.get_many(keys)


# --- Per-process copies -------------------------------------------------------------------------
# Each worker keeps a small LRU of the pages it served; with the generation it trusts for
# PAGE_CACHE_LOCAL_SECONDS (pagecache/generation.py), a hot page costs no network round trip at all.
# Another server's publish is therefore seen within that time (1 s by default; 0 turns both off).

_local_lock = threading.Lock()
_local_pages: OrderedDict[str, tuple] = OrderedDict()


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
    with _local_lock:
        _local_pages.clear()
    forget_local_parts()
    forget_memo()


# --- Entries ------------------------------------------------------------------------------------
# An entry is (generation, expires at [epoch seconds], *payload). It is current while the
# generation is the site's and the expiry has not passed (the shared cache drops it then by itself;
# this process's copy checks it).


def _is_unexpired(entry) -> bool:
    return isinstance(entry, tuple) and len(entry) > 2 and entry[1] > time.time()


def _is_current(entry, generation: int) -> bool:
    return _is_unexpired(entry) and entry[0] == generation


def lookup_entry(key: str, *, stale_ok: bool = False) -> tuple[int, tuple | None, bool]:
    """(current generation, payload or None, whether the payload is stale): from this process's
    copies when they are fresh, else in one cache round trip. With `stale_ok`, an entry made under
    an older generation (but not past its expiry) is returned too, marked stale."""
    current = current_generation()
    entry = _local_get(key, current)
    if entry is not None:
        return current, entry[2:], False
    entry = _get_many([key]).get(key)
    if _is_current(entry, current):
        _local_put(key, entry)
        return current, entry[2:], False
    if stale_ok and _is_unexpired(entry):
        return current, entry[2:], True
    return current, None, False


def claim_render(key: str, generation: int) -> bool:
    """Whether this request should render `key` for `generation`: True for the first to ask
    (on every server), False while another renders it. The claim lapses by itself after
    RENDER_CLAIM_SECONDS, so a render that fails holds nobody up for longer."""
    try:
        return cache.add(f"{key}:render:{generation}", 1, RENDER_CLAIM_SECONDS)
    except Exception:
        return True


def store_entry(key: str, current: int, payload: tuple, timeout: int) -> None:
    """Keep `payload` under `key`, tagged with the generation read *before* it was computed: if a
    change committed meanwhile, the entry is already stale and is never served."""
    entry = (current, time.time() + timeout, *payload)
    cache.set(key, entry, timeout)
    _local_put(key, entry)


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

_lazy_site_version = lazy(site_version, str)


class PageCacheMiddleware:
    """Place it inside the CSP middleware (so replayed pages get a fresh policy header) and before
    the session, CSRF, auth and messages middleware (so a hit skips them)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # For validators (an article's ETag): read only if a view uses it.
        request.site_version = _lazy_site_version()
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
        # A reader or crawler whose copy is current gets 304, as the view would have answered.
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        if response.has_header("ETag") or last_modified:
            return get_conditional_response(
                request, etag=response.get("ETag"), last_modified=last_modified, response=response
            )
        return response
