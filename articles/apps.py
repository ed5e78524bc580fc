from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and pages"

    def ready(self) -> None:
        from articles import signals  # noqa: F401  (connects cache upkeep receivers)
        from articles.tasks import flush_view_counts_task
        from background import schedule

        # Counted reads reach the Popular box's daily totals every minute, without cron.
        schedule.every(lambda: 60, name="articles.flush-view-counts", task=flush_view_counts_task)
