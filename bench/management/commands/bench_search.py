"""Time the site search as a reader uses it: ranked page, snippets and facet counts, uncached."""

import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.models import Article, Category
from articles.search import SearchFilters, clean_query, full_text_available, search
from bench.processes import process_times

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


def engine_name() -> str:
    """Which search answers, for the report."""
    engine = "PostgreSQL full-text" if full_text_available() else "simple word match"
    return f"{engine} ({settings.DATABASES['default']['ENGINE']})"


def database_backend_cpu_seconds() -> Callable[[], float] | None:
    """A reader of the CPU time spent by our PostgreSQL backend process, when it runs on this
    machine (its /proc entry is readable); None otherwise."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    if not stat.exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        return process_times(stat).cpu_ticks / ticks

    return read


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
        parser.add_argument(
            "--slowest", type=int, default=0, help="Also list the N slowest searches."
        )

    def handle(
        self, *args, queries: int, warmup: int, terms, seed: int, slowest: int, **options
    ) -> None:
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

        server_cpu = database_backend_cpu_seconds()
        cpu_timings: list[float] = []
        described: list[tuple[float, str]] = []

        def one_search() -> float:
            query, _ = clean_query(rng.choice(pool))
            filters = SearchFilters()
            if categories and rng.random() < 0.2:
                filters.category = rng.choice(categories)
            page = 1 if rng.random() < 0.8 else rng.randint(2, 5)
            started, cpu_started = time.perf_counter(), time.process_time()
            server_started = server_cpu() if server_cpu else 0.0
            results = search(query, filters=filters, page_number=page)
            list(results.page.object_list) if results.page else None
            elapsed = (time.perf_counter() - started) * 1000
            server = (server_cpu() - server_started) if server_cpu else 0.0
            cpu_timings.append((time.process_time() - cpu_started + server) * 1000)
            category = filters.category.slug if filters.category else "-"
            described.append((elapsed, f"{query!r} category={category} page={page}"))
            return elapsed

        for _ in range(warmup):
            one_search()
        cpu_timings.clear()
        described.clear()
        timings = sorted(one_search() for _ in range(queries))
        self.stdout.write(
            f"{engine_name()}, {count} published articles, {queries} searches "
            f"(ranked page + snippets + category/author/year counts):"
        )
        self.stdout.write(
            f"  p50 {percentile(timings, 0.50):.1f} ms   p90 {percentile(timings, 0.90):.1f} ms   "
            f"p99 {percentile(timings, 0.99):.1f} ms   max {timings[-1]:.1f} ms   "
            f"mean {statistics.fmean(timings):.1f} ms"
        )
        if server_cpu:
            cpu = sorted(cpu_timings)
            self.stdout.write(
                "  CPU time of this process and its database backend (the latency on an idle "
                "machine):\n"
                f"  p50 {percentile(cpu, 0.5):.1f} ms   p90 {percentile(cpu, 0.9):.1f} ms   "
                f"p99 {percentile(cpu, 0.99):.1f} ms"
            )
        for elapsed, description in sorted(described, reverse=True)[:slowest]:
            self.stdout.write(f"  {elapsed:7.1f} ms  {description}")
        if hasattr(os, "getloadavg"):
            self.stdout.write(f"  load average during the run: {os.getloadavg()[0]:.1f}")
