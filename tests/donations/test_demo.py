from io import StringIO

import pytest
from django.core.management import call_command
from PIL import Image

from donations.models import (
    Campaign,
    Donation,
    DonationSettings,
    Promotion,
    SidebarBlock,
    SocialLink,
)

pytestmark = pytest.mark.django_db


def test_load_demo_donations_builds_the_seed_sidebar_and_is_idempotent():
    out = StringIO()
    call_command("load_demo_donations", stdout=out)
    assert "Demo donations loaded" in out.getvalue()
    counts = (Donation.objects.count(), Promotion.objects.count(), SocialLink.objects.count())
    call_command("load_demo_donations", stdout=StringIO())
    assert (
        Donation.objects.count(),
        Promotion.objects.count(),
        SocialLink.objects.count(),
    ) == counts

    settings_row = DonationSettings.current()
    assert settings_row.paypal_business == "donations@example.org"
    assert settings_row.accepts_checks
    assert list(SidebarBlock.objects.values_list("kind", flat=True)) == [
        "donation_appeal",
        "campaign",
        "newsletter",
        "social_links",
        "popular",
        "promotions",
    ]
    assert set(SocialLink.objects.values_list("network", flat=True)) == {
        "bluesky",
        "instagram",
        "mastodon",
    }
    for promotion in Promotion.objects.all():
        with Image.open(promotion.cover.path) as cover:
            assert cover.size == (promotion.cover_width, promotion.cover_height) == (300, 450)
    campaign = Campaign.objects.current().get()
    assert campaign.raised() > 0
    assert Donation.objects.filter(kind=Donation.Kind.REFUND, refund_of__isnull=False).count() == 1


def test_demo_pages_render(client):
    call_command("load_demo_donations", stdout=StringIO())
    html = client.get("/donate/").content.decode()
    assert "Support Independent Journalism" in html
    assert "campaign-progress" in html


def test_a_second_demo_load_keeps_the_editors_changes():
    call_command("load_demo_donations", stdout=StringIO())
    DonationSettings.objects.filter(pk=1).update(appeal_heading="Keep the lights on")
    SocialLink.objects.filter(network=SocialLink.objects.first().network).update(is_visible=False)
    hidden = SocialLink.objects.filter(is_visible=False).count()
    call_command("load_demo_donations", stdout=StringIO())
    assert DonationSettings.objects.get(pk=1).appeal_heading == "Keep the lights on"
    assert SocialLink.objects.filter(is_visible=False).count() == hidden == 1
