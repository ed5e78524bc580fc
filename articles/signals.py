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
