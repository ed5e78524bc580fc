from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "wordpress"
    verbose_name = "Moving in from WordPress"

    def ready(self) -> None:
        from wordpress import signals  # noqa: F401  (registers the page-cache upkeep)
