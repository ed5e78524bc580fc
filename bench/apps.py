from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling, kept apart from the apps' runtime code: the commands that fill a large
    site (`seed_bench`, `make_wxr`) and measure parts of it (`bench_search`, `bench_newsletter`).
    `make bench` (`bench/run.py`) measures whole pages under gunicorn."""

    name = "bench"
    verbose_name = "Benchmark tooling"
