from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "wordpress"
    verbose_name = "Moving in from WordPress"
    # A new or changed old address must not be answered from a cached 404 (see pagecache.apps).
    page_cache_models = ["wordpress.LegacyRedirect"]
