"""Move counted article reads from the cache into the daily totals (the workers do it every minute
on their schedule, and the beacon queues it at most once a minute; this is for doing it by hand)."""

from django.core.management.base import BaseCommand

from articles.popular import flush_view_counts


class Command(BaseCommand):
    help = "Add the article reads counted in the cache to the daily totals behind the Popular box."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--include-current",
            action="store_true",
            help="Also flush the minute still being counted (before a shutdown or a cache flush).",
        )

    def handle(self, *args, include_current: bool = False, **options) -> None:
        views = flush_view_counts(include_current=include_current)
        self.stdout.write(f"Flushed {views} view{'s' if views != 1 else ''} to the daily totals.")
