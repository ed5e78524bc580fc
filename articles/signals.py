"""Cache upkeep only: the navigation and site identity are cached, so edits drop those entries."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Category, MenuItem, Page


@receiver([post_save, post_delete], sender=MenuItem)
@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Page)
def forget_navigation(**kwargs) -> None:
    cache.delete(MenuItem.CACHE_KEY)


# --- Full-page cache (config/page_cache.py): any change to what reader pages show drops them all.
def _next_scheduled_publication():
    """Scheduled articles go live without a save: cached pages must expire by then."""
    from django.db.models import Min
    from django.utils import timezone

    from articles.models import Article

    return (
        Article.objects.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__gt=timezone.now(),
        )
        .aggregate(next=Min("published_at"))
        .get("next")
    )


def _register_page_cache() -> None:
    from django.conf import settings
    from django.contrib.redirects.models import Redirect
    from taggit.models import Tag, TaggedItem

    from articles import models
    from config import page_cache

    page_cache.invalidate_on_change(
        models.Article,
        models.Author,
        models.Category,
        models.Image,
        models.MenuItem,
        models.Page,
        models.Publication,
        Tag,
        TaggedItem,
        Redirect,
        *[m for name in ("LegacyRedirect",) if (m := getattr(models, name, None))],
        # What other apps put on every page (the sidebar), listed in settings.
        *settings.PAGE_CACHE_MODELS,
    )
    page_cache.expire_at_next_change(_next_scheduled_publication)


_register_page_cache()


# --- The "Popular" box (articles.popular) is cached, and so are the pages that show it: an
# editor's pin or hide shows at once.
@receiver([post_save, post_delete], sender="articles.PopularOverride")
def forget_popular_list(**kwargs) -> None:
    from articles.popular import POPULAR_CACHE_KEY

    cache.delete(POPULAR_CACHE_KEY)


def _register_popular_page_cache() -> None:
    from articles.models import PopularOverride
    from config import page_cache

    page_cache.invalidate_on_change(PopularOverride)


_register_popular_page_cache()
