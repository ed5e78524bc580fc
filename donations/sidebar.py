"""What the sidebar shows, read once and kept: the sidebar is on every page, so it must not query per page.

The bundle is kept in the sitewide cache, whose keys carry the page cache's generation: saving a block,
a promotion, a social link, a campaign or the settings moves the generation on (DonationsConfig
declares them), and so does the midnight at which a dated promotion or campaign starts or ends
(`donations.models.next_dated_change`). The day is in the key as well, so a bundle built yesterday
is never read today.
"""

from dataclasses import dataclass, field

from django.core.cache import caches
from django.utils import timezone

from donations.models import Campaign, Promotion, SidebarBlock, SocialLink

CACHE_KEY = "donations:sidebar"
CACHE_SECONDS = 3600


@dataclass
class SidebarContent:
    blocks: list[SidebarBlock]
    campaign: Campaign | None
    promotions: list[Promotion] = field(default_factory=list)
    social_links: list[SocialLink] = field(default_factory=list)


def _default_blocks() -> list[SidebarBlock]:
    return [
        SidebarBlock(kind=kind, position=index)
        for index, kind in enumerate(SidebarBlock.DEFAULT_ORDER)
    ]


def _read_sidebar() -> SidebarContent:
    configured = list(SidebarBlock.objects.all())
    return SidebarContent(
        # No block saved yet: the default order. Once the editor saves any, theirs is the sidebar.
        blocks=[b for b in configured if b.is_visible] if configured else _default_blocks(),
        campaign=Campaign.objects.current().first(),
        promotions=list(Promotion.objects.active()),
        social_links=list(SocialLink.objects.filter(is_visible=True)),
    )


def sidebar_content() -> SidebarContent:
    today = timezone.localdate().isoformat()
    return caches["sitewide"].get_or_set(f"{CACHE_KEY}:{today}", _read_sidebar, CACHE_SECONDS)
