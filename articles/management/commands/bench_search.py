"""Time the site search as a reader uses it: ranked page, snippets and facet counts, uncached."""

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article, Category
from articles.search import SearchFilters, clean_query, engine_name, search

# Typical reader queries: single words, phrases, exclusions, or-queries, rare and common words.
DEFAULT_QUERIES = [
    "iran",
    "oil",
    "climate change",
    '"human rights"',
    "election -trump",
    "gaza or lebanon",
    "solar energy",
    "saudi arabia",
    "democracy",
    "war",
    "refugees europe",
    "nuclear deal",
    "history",
    "water",
    "protest",
]


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


class Command(BaseCommand):
    help = "Run N searches and report latency percentiles (p50/p90/p99) in milliseconds."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--queries", type=int, default=200, help="How many searches to time.")
        parser.add_argument("--warmup", type=int, default=10, help="Untimed searches first.")
        parser.add_argument(
            "--term", action="append", dest="terms", help="A query to use (repeatable)."
        )
        parser.add_argument("--seed", type=int, default=6, help="Random seed for the mix.")

    def handle(self, *args, queries: int, warmup: int, terms, seed: int, **options) -> None:
        if queries < 1:
            raise CommandError("--queries must be at least 1.")
        rng = random.Random(seed)
        pool = list(terms or DEFAULT_QUERIES)
        if not terms:
            # Words from real titles, so some queries match few articles and some many.
            titles = Article.objects.published().order_by("?").values_list("title", flat=True)[:50]
            pool += [word for title in titles for word in title.split() if len(word) > 4][:40]
        categories = list(Category.objects.all()[:20])
        count = Article.objects.published().count()

        def one_search() -> float:
            query, _ = clean_query(rng.choice(pool))
            filters = SearchFilters()
            if categories and rng.random() < 0.2:
                filters.category = rng.choice(categories)
            page = 1 if rng.random() < 0.8 else rng.randint(2, 5)
            started = time.perf_counter()
            results = search(query, filters=filters, page_number=page)
            list(results.page.object_list) if results.page else None
            return (time.perf_counter() - started) * 1000

        for _ in range(warmup):
            one_search()
        timings = sorted(one_search() for _ in range(queries))
        self.stdout.write(
            f"{engine_name()}, {count} published articles, {queries} searches "
            f"(ranked page + snippets + category/author/year counts):"
        )
        self.stdout.write(
            f"  p50 {percentile(timings, 0.50):.1f} ms   p90 {percentile(timings, 0.90):.1f} ms   p99 {percentile(timings, 0.99):.1f} ms   max {timings[-1]:.1f} ms   mean {statistics.fmean(timings):.1f} ms"
        )
