"""Cache upkeep only: a new or changed old address must not be answered from a cached 404."""

from config import page_cache
from wordpress.models import LegacyRedirect

page_cache.invalidate_on_change(LegacyRedirect)
