"""The sidebar: the editor's blocks in order, cached, with campaign progress and promotions."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from donations.models import Campaign, Donation, Promotion, SidebarBlock, SocialLink
from tests.factories import CampaignFactory, DonationFactory, SidebarBlockFactory, jpeg_bytes

pytestmark = pytest.mark.django_db

Kind = SidebarBlock.Kind


def render_sidebar(path: str = "/") -> str:
    return render_to_string("includes/sidebar.html", request=RequestFactory().get(path))


def block_order(html: str) -> list[str]:
    return re.findall(r'class="widget widget--([a-z]+)', html)


def give(amount: str, campaign: Campaign | None = None, **extra) -> Donation:
    return DonationFactory(amount=Decimal(amount), campaign=campaign, **extra)


def test_without_configured_blocks_the_sidebar_uses_the_default_order(donation_settings):
    CampaignFactory()
    SocialLink.objects.create(network="bluesky", url="https://bsky.app/profile/x")
    Promotion.objects.create(title="A book", link_url="https://books.example.org/a")
    order = block_order(render_sidebar())
    assert order[:2] == ["donate", "campaign"]
    assert order.index("social") < order.index("promotions")
    assert "newsletter" in order


def test_editor_order_and_visibility_are_followed(donation_settings):
    SocialLink.objects.create(network="mastodon", url="https://mastodon.social/@x")
    Promotion.objects.create(title="A book", link_url="https://books.example.org/a")
    SidebarBlockFactory(kind=Kind.PROMOTIONS, position=1, title="Our books")
    SidebarBlockFactory(
        kind=Kind.TEXT, position=2, title="About", body="<p>Hello <script>x</script></p>"
    )
    SidebarBlockFactory(kind=Kind.DONATION_APPEAL, position=3)
    SidebarBlockFactory(kind=Kind.SOCIAL_LINKS, position=4, is_visible=False)
    html = render_sidebar()
    assert block_order(html) == ["promotions", "text", "donate"]
    assert "Our books" in html
    assert "<p>Hello </p>" in html and "<script>" not in html  # free text is sanitised
    assert "mastodon.social" not in html


def test_editing_a_block_shows_at_once(donation_settings, commit):
    block = SidebarBlockFactory(kind=Kind.DONATION_APPEAL, position=1)
    SidebarBlockFactory(kind=Kind.TEXT, position=2, body="<p>Note</p>")
    assert block_order(render_sidebar()) == ["donate", "text"]
    block.position = 3
    commit(block.save)
    assert block_order(render_sidebar()) == ["text", "donate"]


def test_appeal_shows_amounts_paypal_button_and_check_address(donation_settings):
    SidebarBlockFactory(kind=Kind.DONATION_APPEAL)
    html = render_sidebar()
    assert "Support Independent Journalism" in html
    assert 'action="/donate/checkout/"' in html
    assert 'method="get"' in html
    assert "Donate via PayPal" in html
    assert "The Newsroom Editor" in html and "P.O. Box 1207" in html
    assert "csrfmiddlewaretoken" not in html


def test_appeal_and_campaign_step_aside_on_the_donate_page(client, donation_settings):
    CampaignFactory()
    html = client.get("/donate/").content.decode()
    page, sidebar = html.split('id="sidebar"', 1)
    assert "widget--donate" not in sidebar and "widget--campaign" not in sidebar
    assert "widget--campaign" in page
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids on /donate/"


def test_social_links_and_promotions_render_with_cover_dimensions(donation_settings):
    SocialLink.objects.create(network="bluesky", url="https://bsky.app/profile/x", position=2)
    SocialLink.objects.create(network="instagram", url="https://instagram.com/x", position=1)
    SocialLink.objects.create(network="mastodon", url="https://mastodon.social/@x", position=3)
    promotion = Promotion(title="Rivers", text="A book.", link_url="https://books.example.org/r")
    promotion.cover.save("c.jpg", ContentFile(jpeg_bytes(200, 300)), save=False)
    promotion.save()
    html = render_sidebar()
    assert re.findall(r">(Instagram|Bluesky|Mastodon)<", html) == [
        "Instagram",
        "Bluesky",
        "Mastodon",
    ]
    assert 'rel="me noopener"' in html  # Mastodon verifies profile links with rel=me
    assert 'width="200" height="300" alt="Cover of Rivers"' in html
    assert 'href="https://books.example.org/r"' in html


def test_promotions_show_only_inside_their_dates(donation_settings):
    today = timezone.localdate()
    Promotion.objects.create(title="Current", link_url="https://e.org/1")
    Promotion.objects.create(
        title="Later", link_url="https://e.org/2", starts_on=today + datetime.timedelta(days=1)
    )
    Promotion.objects.create(
        title="Over", link_url="https://e.org/3", ends_on=today - datetime.timedelta(days=1)
    )
    Promotion.objects.create(title="Hidden", link_url="https://e.org/4", is_published=False)
    assert list(Promotion.objects.active().values_list("title", flat=True)) == ["Current"]
    html = render_sidebar()
    assert "Current" in html and "Later" not in html and "Over" not in html and "Hidden" not in html


def test_campaign_progress_counts_linked_gifts_net_of_refunds(donation_settings):
    campaign = CampaignFactory()
    gift = give("300", campaign)
    give("150", campaign, paypal=True)
    give("99", None)  # outside the campaign
    give("80", campaign, currency="EUR")  # another currency does not count toward a USD goal
    give("-150", campaign, kind=Donation.Kind.REFUND, refund_of=gift)
    assert campaign.raised() == Decimal("300")
    assert campaign.percent_raised() == 30
    html = render_sidebar()
    assert '<progress class="campaign-progress" max="1000.000000" value="300.000000"' in html
    assert "30%" in html


def test_campaign_total_is_cached_and_refreshed_by_a_new_gift(
    donation_settings, django_assert_num_queries, commit
):
    campaign = CampaignFactory()
    give("100", campaign)
    assert campaign.raised() == Decimal("100")
    with django_assert_num_queries(0):
        assert campaign.raised() == Decimal("100")
    commit(lambda: give("50", campaign))
    assert campaign.raised() == Decimal("150")


def test_campaign_percent_is_capped_and_past_campaigns_are_not_shown(donation_settings):
    campaign = CampaignFactory(goal=Decimal("100"))
    give("250", campaign)
    assert campaign.percent_raised() == 100
    campaign.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.starts_on = campaign.ends_on - datetime.timedelta(days=10)
    campaign.save()
    assert Campaign.objects.current().count() == 0
    assert "widget--campaign" not in render_sidebar()


def _configure_support_blocks(promotions: int) -> None:
    for position, kind in enumerate(
        [Kind.DONATION_APPEAL, Kind.CAMPAIGN, Kind.SOCIAL_LINKS, Kind.PROMOTIONS]
    ):
        SidebarBlockFactory(kind=kind, position=position)
    SidebarBlockFactory(kind=Kind.TEXT, position=9, body="<p>Free text</p>")
    CampaignFactory()
    for number in range(promotions):
        Promotion.objects.create(
            title=f"Book {number}", link_url=f"https://e.org/{number}", position=number
        )
        SocialLink.objects.create(
            network="other", label=f"Link {number}", url=f"https://e.org/s{number}"
        )


@pytest.mark.parametrize("size", [1, 12])
def test_sidebar_queries_do_not_grow_with_content(
    donation_settings, django_assert_num_queries, size
):
    from pagecache import generation

    _configure_support_blocks(size)
    generation.bump()  # as after an edit: nothing kept yet
    # Blocks, settings, campaign, promotions, social links, campaign totals.
    with django_assert_num_queries(6):
        html = render_sidebar()
    assert html.count('class="promotion"') == size
    with django_assert_num_queries(0):
        render_sidebar()


def test_cached_pages_show_a_sidebar_edit_at_once(
    client, settings, donation_settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    SidebarBlockFactory(kind=Kind.TEXT, position=1, title="Notice", body="<p>First words</p>")
    assert "First words" in client.get("/archives/").content.decode()
    assert client.get("/archives/")["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        block = SidebarBlock.objects.get(kind=Kind.TEXT)
        block.body = "<p>Second words</p>"
        block.save()
    assert "Second words" in client.get("/archives/").content.decode()


def test_cached_pages_expire_when_a_promotion_starts(settings, donation_settings):
    from donations.models import next_dated_change as _next_dated_change

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert _next_dated_change() is None
    Promotion.objects.create(title="Soon", link_url="https://e.org/s", starts_on=tomorrow)
    assert timezone.localtime(_next_dated_change()).date() == tomorrow


def test_campaign_progress_reads_as_money(donation_settings, commit):
    campaign = CampaignFactory(goal=Decimal("5000"), currency="USD")
    give("800", campaign)
    give("85", campaign)
    html = render_sidebar()
    assert "<strong>$885</strong> raised of $5,000 (17%)" in html
    campaign.currency = "CHF"
    commit(campaign.save)
    commit(lambda: give("12.50", campaign, currency="CHF"))
    assert "<strong>12.50 CHF</strong> raised of 5,000 CHF" in render_sidebar()
