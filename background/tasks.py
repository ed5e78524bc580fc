"""The background app's own scheduled work."""

from django.core.management import call_command
from django.tasks import task

KEEP_RESULTS_DAYS = 14


@task
def prune_task_results() -> None:
    """Delete finished task results older than two weeks: the schedule alone adds thousands a
    day (django-tasks-db's own `prune_db_task_results`, run daily)."""
    call_command(
        "prune_db_task_results", queue_name="*", min_age_days=KEEP_RESULTS_DAYS, verbosity=0
    )
