"""A week of demo read counts, so the "Popular" box has something to rank right after `make run`
(real counts come from readers' browsers; see articles.popular)."""

import datetime
import random

from django.core.cache import cache
from django.utils import timezone

from articles.models import Article, ArticleViewDay
from articles.popular import POPULAR_CACHE_KEY, POPULAR_DAYS

READ_ARTICLES = 12


def load_demo_reads(*, now: datetime.datetime | None = None) -> int:
    """Daily counts for the newest published articles over the last week; returns how many rows
    it added. Adds nothing when the week already has counts (a second run, or real readers)."""
    today = timezone.localdate(now)
    week = [today - datetime.timedelta(days=offset) for offset in range(POPULAR_DAYS)]
    if ArticleViewDay.objects.filter(date__gte=week[-1]).exists():
        return 0
    articles = list(
        Article.objects.published().newest_first().values_list("pk", flat=True)[:READ_ARTICLES]
    )
    rng = random.Random(7)  # the same demo ranking on every machine
    rows = []
    for rank, article_id in enumerate(articles):
        # Newer pieces are read more, with some day-to-day noise and one older piece doing well.
        base = 400 // (rank + 2) + (150 if rank == 5 else 0)
        rows.extend(
            ArticleViewDay(article_id=article_id, date=day, views=base + rng.randint(0, base // 2))
            for day in week
        )
    ArticleViewDay.objects.bulk_create(rows, ignore_conflicts=True)
    cache.delete(POPULAR_CACHE_KEY)
    return len(rows)
