"""Sidebar boxes of the support side. All read the cached sidebar bundle: no queries on a warm cache."""

from django import template

from donations.forms import DonateForm
from donations.models import DonationSettings, SidebarBlock
from donations.sidebar import sidebar_content

register = template.Library()


@register.simple_tag
def sidebar_blocks() -> list[SidebarBlock]:
    """The visible blocks in the editor's order (or the default order when none is configured)."""
    return sidebar_content().blocks


@register.inclusion_tag("donations/blocks/appeal.html", takes_context=True)
def donation_appeal(context) -> dict:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    donation_settings = DonationSettings.current()
    return {
        # /donate/ shows the full form in the page; a second copy beside it would only confuse.
        "hidden": bool(match and match.namespace == "donations"),
        "donation_settings": donation_settings,
        "form": DonateForm(donation_settings=donation_settings, auto_id="sidebar-donate-%s"),
    }


@register.inclusion_tag("donations/blocks/campaign.html")
def campaign_progress(campaign=None, id_prefix: str = "sidebar") -> dict:
    """The campaign's progress bar; `campaign` defaults to the one running today."""
    return {"campaign": campaign or sidebar_content().campaign, "id_prefix": id_prefix}


@register.inclusion_tag("donations/blocks/promotions.html")
def promotions(block: SidebarBlock | None = None) -> dict:
    return {"block": block, "promotions": sidebar_content().promotions}


@register.inclusion_tag("donations/blocks/social_links.html")
def social_links(block: SidebarBlock | None = None) -> dict:
    return {"block": block, "links": sidebar_content().social_links}


@register.inclusion_tag("donations/blocks/text.html")
def text_block(block: SidebarBlock, index: int = 0) -> dict:
    return {"block": block, "index": index}
