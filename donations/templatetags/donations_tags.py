"""Sidebar boxes of the support side. All read the cached sidebar bundle: no queries on a warm cache."""

from django import template

from donations.forms import DonateForm, money_label
from donations.models import DonationSettings, SidebarBlock
from donations.sidebar import SidebarContent, sidebar_content

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    """{{ campaign.goal|money:campaign.currency }} → "$5,000"."""
    return "" if amount is None else money_label(amount, currency)


@register.simple_tag
def sidebar() -> SidebarContent:
    """What the sidebar shows: `.blocks`, the visible blocks in the editor's order (or the default
    order when none is configured), and the rows they show. Read once per page and handed to the
    boxes below, rather than read again by each."""
    return sidebar_content()


def _on_donate_pages(context) -> bool:
    """/donate/ shows the form and the campaign in the page; a second copy beside it would only confuse."""
    match = getattr(context.get("request"), "resolver_match", None)
    return bool(match and match.namespace == "donations")


@register.inclusion_tag("donations/blocks/appeal.html", takes_context=True)
def donation_appeal(context) -> dict:
    donation_settings = DonationSettings.current()
    return {
        "hidden": _on_donate_pages(context),
        "donation_settings": donation_settings,
        # Made only when drawn: a site without PayPal shows no form.
        "form": DonateForm(donation_settings=donation_settings, auto_id="sidebar-donate-%s")
        if donation_settings.accepts_paypal
        else None,
    }


@register.inclusion_tag("donations/blocks/campaign.html", takes_context=True)
def campaign_progress(context, campaign=None, id_prefix: str = "sidebar") -> dict:
    """The campaign's progress bar; `campaign` defaults to the one running today."""
    if id_prefix == "sidebar" and _on_donate_pages(context):
        campaign = None
    else:
        campaign = campaign or sidebar_content().campaign
    return {"campaign": campaign, "id_prefix": id_prefix}


@register.inclusion_tag("donations/blocks/promotions.html")
def promotions(block: SidebarBlock | None = None, content: SidebarContent | None = None) -> dict:
    return {"block": block, "promotions": (content or sidebar_content()).promotions}


@register.inclusion_tag("donations/blocks/social_links.html")
def social_links(block: SidebarBlock | None = None, content: SidebarContent | None = None) -> dict:
    return {"block": block, "links": (content or sidebar_content()).social_links}


@register.inclusion_tag("donations/blocks/text.html")
def text_block(block: SidebarBlock, index: int = 0) -> dict:
    return {"block": block, "index": index}
