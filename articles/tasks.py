"""Background work of the articles app (run by `manage.py db_worker`)."""

from django.tasks import task

from articles.popular import flush_view_counts


@task
def flush_view_counts_task() -> int:
    """Move finished view counters from the cache into the daily totals."""
    return flush_view_counts()
