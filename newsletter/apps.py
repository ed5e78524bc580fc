from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    # Not shown on reader pages: declared because `DigestSchedule.current()` keeps the row under
    # the generation, as every settings row does (articles/singleton.py), so an edit must move it.
    page_cache_models = ["newsletter.DigestSchedule"]

    def ready(self) -> None:
        from newsletter.schedule import register_jobs

        register_jobs()
