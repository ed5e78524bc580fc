"""Settings the editor changes in the admin, stored as a table of one row.

`Publication` (articles), `DonationSettings` (donations) and `DigestSchedule` (newsletter) are such
tables. A subclass names its cache key; `current()` reads the row through the sitewide cache (or an
unsaved row of defaults before the editor first saves one). That cache's keys carry the page
cache's generation, so the copy is dropped when the row is saved or deleted: each subclass's app
declares it in `page_cache_models` (pagecache/apps.py), and nothing is deleted by hand."""

from typing import Self

from django.core.cache import caches
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

    @classmethod
    def current(cls) -> Self:
        return caches["sitewide"].get_or_set(cls.CACHE_KEY, cls._read_row, cls.CACHE_SECONDS)

    @classmethod
    def _read_row(cls) -> Self:
        return cls.objects.filter(pk=cls.ROW_PK).first() or cls(pk=cls.ROW_PK)
