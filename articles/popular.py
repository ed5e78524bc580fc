"""Counting reads for the "Popular" box without a database write per page view.

A reader's browser posts a beacon (static/js/beacon.js) after an article page loads, so views are
counted even when the page itself came from the full-page cache. `record_view()` drops bots and
repeat views by the same reader, then bumps a counter in the cache, in one-minute buckets.
`flush_view_counts()` adds finished buckets to `ArticleViewDay` in one transaction; it runs from the
`flush_view_counts` task the workers schedule every minute (and the beacon enqueues at most once
a minute), or from the `flush_view_counts` command by hand.

Only the public cache API is used (add/incr/get_many/delete_many), so Redis, Memcached and local
memory all work. Each bucket keeps a registry of the articles it saw: the first view of an article
in a bucket (`cache.add` wins) appends its id at the next registry slot (`cache.incr`).
"""

import datetime
import hashlib
import logging
import re
import time
from collections import defaultdict

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article, ArticleViewDay, PopularOverride
from edge.client import client_ip as edge_client_ip

logger = logging.getLogger(__name__)

BUCKET_SECONDS = 60
# A bucket is flushed once this long past its end, so no beacon still writes into it.
BUCKET_GRACE_SECONDS = 15
# Counters outlive any sensible flush interval; buckets older than this are gone.
COUNTER_TTL = 2 * 24 * 3600
REPEAT_WINDOW_SECONDS = 30 * 60
RATE_LIMIT_PER_MINUTE = 60
FLUSH_EVERY_SECONDS = 60
POPULAR_DAYS = 7
POPULAR_SIZE = 5
POPULAR_CACHE_SECONDS = 300
POPULAR_CACHE_KEY = "popular:list"

# Crawlers, link previewers, monitors, headless browsers and HTTP libraries.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|"
    r"headless|phantom|lighthouse|pingdom|curl|wget|python|httpclient|okhttp|go-http|"
    r"java/|libwww|scrapy|feed|rss",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))


def client_ip(request: HttpRequest) -> str:
    return edge_client_ip(request) or ""


def reader_fingerprint(request: HttpRequest) -> str:
    """An opaque, short-lived identity for "the same reader": never stored beyond the window."""
    raw = f"{client_ip(request)}|{request.headers.get('User-Agent', '')}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def bucket_of(moment: datetime.datetime) -> int:
    return int(moment.timestamp()) // BUCKET_SECONDS


def _count_key(bucket: int, article_id: int) -> str:
    return f"popular:views:{bucket}:{article_id}"


def _registry_size_key(bucket: int) -> str:
    return f"popular:registry:{bucket}:size"


def _registry_key(bucket: int, slot: int) -> str:
    return f"popular:registry:{bucket}:{slot}"


def _increment(key: str) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # the key vanished (evicted); start it again
        cache.add(key, 0, COUNTER_TTL)
        return cache.incr(key)


def record_view(request: HttpRequest, article_id: int, *, now=None) -> str:
    """Count one read of `article_id` unless it is a bot, a repeat or a flood. Returns what
    happened: "counted", "bot", "repeat" or "limited"."""
    if is_bot(request.headers.get("User-Agent", "")):
        return "bot"
    now = now or timezone.now()
    ip_key = "popular:rate:" + hashlib.sha256(client_ip(request).encode()).hexdigest()[:24]
    cache.add(ip_key, 0, 60)
    if _increment(ip_key) > RATE_LIMIT_PER_MINUTE:
        return "limited"
    seen_key = f"popular:seen:{reader_fingerprint(request)}:{article_id}"
    if not cache.add(seen_key, 1, REPEAT_WINDOW_SECONDS):
        return "repeat"

    bucket = bucket_of(now)
    count_key = _count_key(bucket, article_id)
    if cache.add(count_key, 1, COUNTER_TTL):
        # First view of this article in this bucket: register it for the flush.
        cache.add(_registry_size_key(bucket), 0, COUNTER_TTL)
        slot = _increment(_registry_size_key(bucket))
        cache.set(_registry_key(bucket, slot), article_id, COUNTER_TTL)
    else:
        _increment(count_key)
    return "counted"


def cache_is_process_local() -> bool:
    return isinstance(caches["default"], LocMemCache)


def flush_is_due() -> bool:
    """True at most once a minute, across all processes: the caller then queues a flush."""
    return cache.add("popular:flush-queued", 1, FLUSH_EVERY_SECONDS)


def flush_view_counts(*, now=None, include_current: bool = False) -> int:
    """Add the counted views of finished buckets to the daily totals; returns how many views.

    `include_current` also flushes the bucket still being written (for tests and shutdown): a view
    counted into it after the flush read it is then lost, never counted twice."""
    now = now or timezone.now()
    if not cache.add("popular:flush-lock", 1, 300):
        return 0  # another flush is running
    try:
        last_open = bucket_of(now - datetime.timedelta(seconds=BUCKET_GRACE_SECONDS))
        newest = bucket_of(now) if include_current else last_open - 1
        oldest = max(
            cache.get("popular:flushed-through", newest - COUNTER_TTL // BUCKET_SECONDS) + 1,
            newest - COUNTER_TTL // BUCKET_SECONDS,
        )
        buckets = list(range(oldest, newest + 1))
        sizes = cache.get_many([_registry_size_key(b) for b in buckets])
        totals: dict[tuple[int, datetime.date], int] = defaultdict(int)
        used_keys: list[str] = list(sizes)
        for bucket in buckets:
            size = sizes.get(_registry_size_key(bucket)) or 0
            if not size:
                continue
            slots = [_registry_key(bucket, slot) for slot in range(1, size + 1)]
            article_ids = [aid for aid in cache.get_many(slots).values() if aid]
            count_keys = {_count_key(bucket, aid): aid for aid in article_ids}
            day = timezone.localdate(
                datetime.datetime.fromtimestamp(bucket * BUCKET_SECONDS, tz=datetime.UTC)
            )
            for key, views in cache.get_many(list(count_keys)).items():
                totals[(count_keys[key], day)] += int(views)
            used_keys += slots + list(count_keys)
        written = _add_to_daily_totals(totals) if totals else 0
        cache.delete_many(used_keys)
        cache.set("popular:flushed-through", newest, COUNTER_TTL)
        return written
    finally:
        cache.delete("popular:flush-lock")


def _add_to_daily_totals(totals: dict[tuple[int, datetime.date], int]) -> int:
    """Add the views to ArticleViewDay rows; returns how many views were written."""
    existing_ids = set(
        Article.objects.filter(pk__in={aid for aid, _ in totals}).values_list("pk", flat=True)
    )
    with transaction.atomic():
        days = {day for _, day in totals}
        rows = {
            (row.article_id, row.date): row
            for row in ArticleViewDay.objects.select_for_update().filter(
                date__in=days, article_id__in=existing_ids
            )
        }
        new_rows = []
        written = 0
        for (article_id, day), views in totals.items():
            if article_id not in existing_ids:
                continue  # deleted since it was read, or never existed
            written += views
            if (article_id, day) in rows:
                rows[(article_id, day)].views += views
            else:
                new_rows.append(ArticleViewDay(article_id=article_id, date=day, views=views))
        ArticleViewDay.objects.bulk_update(rows.values(), ["views"], batch_size=500)
        # A concurrent flush is excluded by the lock; the constraint still guards the table.
        ArticleViewDay.objects.bulk_create(new_rows, batch_size=500)
    return written


def most_read(*, days: int = POPULAR_DAYS, limit: int = POPULAR_SIZE, now=None) -> list[Article]:
    """The box's articles: pinned ones first (in the editor's order), then the most read of the
    last `days` days, leaving out hidden ones. Three queries; the caller caches the result."""
    now = now or timezone.now()
    overrides = list(
        PopularOverride.objects.filter(article__in=Article.objects.published())
        .exclude(until__lt=now)
        .values_list("article_id", "action")
        .order_by("position", "-created_at")
    )
    pinned = [aid for aid, action in overrides if action == PopularOverride.Action.PIN][:limit]
    hidden = {aid for aid, action in overrides if action == PopularOverride.Action.HIDE}
    since = timezone.localdate(now) - datetime.timedelta(days=days - 1)
    ranked = (
        ArticleViewDay.objects.filter(date__gte=since, article__in=Article.objects.published())
        .exclude(article_id__in=hidden | set(pinned))
        .values("article_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article_id")
        .values_list("article_id", flat=True)[: max(0, limit - len(pinned))]
    )
    order = pinned + list(ranked)
    articles = Article.objects.filter(pk__in=order).only(
        "title", "slug", "published_at", "created_at"
    )
    by_id = {article.pk: article for article in articles}
    return [by_id[aid] for aid in order if aid in by_id]


def popular_articles_cached() -> list[dict]:
    """The box's links, kept in the sitewide cache: every page shows it. An editor's pin or hide moves
    the generation on (PopularOverride is declared to the page cache); counted reads and pins or
    hides running out change nothing the generation sees, so the links are also read again once
    they are POPULAR_CACHE_SECONDS old. (Their age, not a slot of the clock: with a slot, every
    server rebuilt at the same instant, and two page views a moment apart could straddle it.)"""
    kept = caches["sitewide"].get(POPULAR_CACHE_KEY)
    now = time.time()
    if kept is not None and now - kept[0] < POPULAR_CACHE_SECONDS:
        return kept[1]
    links = [
        {"title": article.title, "url": article.get_absolute_url(), "pk": article.pk}
        for article in most_read()
    ]
    caches["sitewide"].set(POPULAR_CACHE_KEY, (now, links), POPULAR_CACHE_SECONDS)
    return links
