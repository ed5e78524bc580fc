"""Cache upkeep only: the sidebar bundle and campaign totals are cached, so edits drop them."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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
