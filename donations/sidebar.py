"""What the sidebar shows, read once and cached: the sidebar is on every page, so it must not query per page.

The bundle is dropped whenever an editor saves a block, a promotion, a social link, a campaign or the
settings (see signals.py), and rebuilt at the first request of a new day so dated promotions and
campaigns switch on and off on time.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from donations.models import Campaign, DonationSettings, Promotion, SidebarBlock, SocialLink

CACHE_KEY = "donations:sidebar"


@dataclass
class SidebarContent:
    built_for: str
    blocks: list[SidebarBlock]
    campaign: Campaign | None
    promotions: list[Promotion] = field(default_factory=list)
    social_links: list[SocialLink] = field(default_factory=list)


def _default_blocks() -> list[SidebarBlock]:
    return [
        SidebarBlock(kind=kind, position=index)
        for index, kind in enumerate(SidebarBlock.DEFAULT_ORDER)
    ]


def sidebar_content() -> SidebarContent:
    today = timezone.localdate().isoformat()
    content = cache.get(CACHE_KEY)
    if content is None or content.built_for != today:
        configured = list(SidebarBlock.objects.all())
        content = SidebarContent(
            built_for=today,
            # No block saved yet: the default order. Once the editor saves any, theirs is the sidebar.
            blocks=[b for b in configured if b.is_visible] if configured else _default_blocks(),
            campaign=Campaign.objects.current().first(),
            promotions=list(Promotion.objects.active()),
            social_links=list(SocialLink.objects.filter(is_visible=True)),
        )
        cache.set(CACHE_KEY, content, 3600)
    return content


def forget_sidebar() -> None:
    cache.delete(CACHE_KEY)
    cache.delete(DonationSettings.CACHE_KEY)
