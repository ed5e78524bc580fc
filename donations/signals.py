"""Cache upkeep only: the sidebar bundle and campaign totals are cached, so edits drop them."""

import datetime

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from config import page_cache
from donations.models import (
    Campaign,
    Donation,
    DonationSettings,
    Promotion,
    SidebarBlock,
    SocialLink,
)
from donations.sidebar import forget_sidebar


@receiver([post_save, post_delete], sender=DonationSettings)
@receiver([post_save, post_delete], sender=Campaign)
@receiver([post_save, post_delete], sender=Promotion)
@receiver([post_save, post_delete], sender=SocialLink)
@receiver([post_save, post_delete], sender=SidebarBlock)
def forget_sidebar_content(**kwargs) -> None:
    forget_sidebar()


@receiver([post_save, post_delete], sender=Donation)
@receiver([post_save, post_delete], sender=Campaign)
def forget_campaign_totals(**kwargs) -> None:
    cache.delete(Campaign.RAISED_CACHE_KEY)


def _next_dated_change() -> datetime.datetime | None:
    """The next midnight at which a campaign or promotion starts or ends (pages show them)."""
    today = timezone.localdate()
    days = [
        day
        for model in (Campaign, Promotion)
        for start, end in model.objects.values_list("starts_on", "ends_on")
        for day in (start, end + datetime.timedelta(days=1) if end else None)
        if day and day > today
    ]
    if not days:
        return None
    return timezone.make_aware(datetime.datetime.combine(min(days), datetime.time()))


# The sidebar is on every cached page: any change to what it shows drops the cached pages.
page_cache.invalidate_on_change(
    DonationSettings, Campaign, Donation, Promotion, SocialLink, SidebarBlock
)
page_cache.expire_at_next_change(_next_dated_change)
