"""Cache upkeep only: the navigation and site identity are cached, so edits drop those entries."""

from django.contrib.redirects.models import Redirect
from django.core.cache import cache
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    Author,
    Category,
    Image,
    MenuItem,
    Page,
    PopularOverride,
    Publication,
)
from articles.popular import POPULAR_CACHE_KEY
from config import page_cache


@receiver([post_save, post_delete], sender=MenuItem)
@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Page)
def forget_navigation(**kwargs) -> None:
    cache.delete(MenuItem.CACHE_KEY)


# --- Full-page cache (config/page_cache.py): any change to what reader pages show drops them all.
# (Each app registers its own models; donations registers the sidebar's in donations/signals.py.)
def _next_scheduled_publication():
    """Scheduled articles go live without a save: cached pages must expire by then."""
    return (
        Article.objects.filter(status__in=Article.LIVE_STATUSES, published_at__gt=timezone.now())
        .aggregate(next=Min("published_at"))
        .get("next")
    )


page_cache.invalidate_on_change(
    Article,
    Author,
    Category,
    Image,
    MenuItem,
    Page,
    PopularOverride,
    Publication,
    Tag,
    TaggedItem,
    Redirect,
)
page_cache.expire_at_next_change(_next_scheduled_publication)


# --- The "Popular" box (articles.popular) is cached: an editor's pin or hide shows at once.
@receiver([post_save, post_delete], sender=PopularOverride)
def forget_popular_list(**kwargs) -> None:
    cache.delete(POPULAR_CACHE_KEY)
