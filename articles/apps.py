from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and pages"
    # What reader pages show: a change to any of these drops every kept page and part (pagecache).
    page_cache_models = [
        "articles.Article",
        "articles.Author",
        "articles.Category",
        "articles.Image",
        "articles.MenuItem",
        "articles.Page",
        "articles.PopularOverride",
        "articles.Publication",
        "taggit.Tag",
        "taggit.TaggedItem",
        "redirects.Redirect",
    ]
    page_cache_next_change = "articles.models.next_scheduled_publication"

    def ready(self) -> None:
        from articles.site_url import sync_site_row
        from articles.tasks import flush_view_counts_task
        from background import schedule

        post_migrate.connect(sync_site_row, sender=self)
        # Counted reads reach the Popular box's daily totals every minute, without cron.
        schedule.every(lambda: 60, name="articles.flush-view-counts", task=flush_view_counts_task)
