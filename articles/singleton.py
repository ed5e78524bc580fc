"""Settings the editor changes in the admin, stored as a table of one row.

`Publication` (articles) and `DonationSettings` (donations) are such tables. A subclass names its
cache key; `current()` reads the row through the cache (or an unsaved row of defaults before the
editor first saves one), and saving or deleting the row drops the cached copy."""

from typing import Self

from django.core.cache import cache
from django.db import models


class SingletonModel(models.Model):
    CACHE_KEY: str  # set by each subclass
    CACHE_SECONDS = 300
    ROW_PK = 1

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.pk = self.ROW_PK
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        return result

    @classmethod
    def current(cls) -> Self:
        row = cache.get(cls.CACHE_KEY)
        if row is None:
            row = cls.objects.filter(pk=cls.ROW_PK).first() or cls(pk=cls.ROW_PK)
            cache.set(cls.CACHE_KEY, row, cls.CACHE_SECONDS)
        return row
