from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and pages"

    def ready(self) -> None:
        from articles import signals  # noqa: F401  (connects cache upkeep receivers)
        from articles.site_url import sync_site_row

        post_migrate.connect(sync_site_row, sender=self)
