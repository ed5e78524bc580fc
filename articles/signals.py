"""Cache upkeep only: the navigation and the Popular box are kept in the cache for longer than one
page-cache generation (they are read outside kept parts too), so edits drop those entries."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Category, MenuItem, Page, PopularOverride
from articles.popular import POPULAR_CACHE_KEY


@receiver([post_save, post_delete], sender=MenuItem)
@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Page)
def forget_navigation(**kwargs) -> None:
    cache.delete(MenuItem.CACHE_KEY)


# --- The "Popular" box (articles.popular) is cached: an editor's pin or hide shows at once.
@receiver([post_save, post_delete], sender=PopularOverride)
def forget_popular_list(**kwargs) -> None:
    cache.delete(POPULAR_CACHE_KEY)
