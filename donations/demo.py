"""Demo content for the support side: the sidebar of the seed site (appeal with a check address,
newsletter, social links, popular posts, book promotions), a running campaign and a year of gifts.

`manage.py load_demo` calls `load_demo()` here (every app's demo hook); `manage.py
load_demo_donations` runs `load_demo_donations()` alone. Idempotent: it never overwrites.
"""

import datetime
import io
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from donations.models import (
    Campaign,
    Donation,
    DonationSettings,
    Promotion,
    SidebarBlock,
    SocialLink,
)
from pagecache.generation import bump_on_commit

DEMO_PAYPAL_BUSINESS = "donations@example.org"
DEMO_REFERENCE_PREFIX = "DEMO-"

BOOKS = [
    {
        "title": "Rivers Run Backwards: Water and Power in the Middle East",
        "text": "The editor's new book on dams, droughts and the politics of shared rivers.",
        "link_url": "https://books.example.org/rivers-run-backwards",
        "link_label": "Buy the ebook",
        "colors": ((24, 64, 96), (236, 200, 120)),
    },
    {
        "title": "Notes from the Margin: Essays, 2010–2025",
        "text": "Fifteen years of commentary, collected and annotated.",
        "link_url": "https://books.example.org/notes-from-the-margin",
        "link_label": "Buy the paperback",
        "colors": ((120, 28, 32), (245, 240, 230)),
    },
]

SOCIAL = [
    (SocialLink.Network.BLUESKY, "https://bsky.app/profile/newsroom.example.org"),
    (SocialLink.Network.INSTAGRAM, "https://www.instagram.com/newsroom.example/"),
    (SocialLink.Network.MASTODON, "https://mastodon.social/@newsroom_example"),
]

BLOCKS = [
    (SidebarBlock.Kind.DONATION_APPEAL, ""),
    (SidebarBlock.Kind.CAMPAIGN, ""),
    (SidebarBlock.Kind.NEWSLETTER, ""),
    (SidebarBlock.Kind.SOCIAL_LINKS, "Social media"),
    (SidebarBlock.Kind.POPULAR, ""),
    (SidebarBlock.Kind.PROMOTIONS, "Books by our editor"),
]

DONORS = [
    ("Maria Lopez", "maria.lopez@example.net"),
    ("Sam Okafor", "sam.okafor@example.net"),
    ("Priya Raman", ""),
    ("Tom Becker", "tom.becker@example.net"),
    ("", ""),
    ("Leila Haddad", "leila.haddad@example.net"),
    ("Chris Novak", ""),
    ("Ana Sousa", "ana.sousa@example.net"),
]


def cover_image(title: str, background: tuple, ink: tuple) -> ContentFile:
    """A plain generated book cover (no downloads): colour field, rule and the title set in type."""
    width, height = 300, 450
    image = PILImage.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=26)
    small = ImageFont.load_default(size=16)
    draw.rectangle((20, 20, width - 20, height - 20), outline=ink, width=3)
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > width - 70 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = 80
    for text in lines:
        draw.text((40, y), text, font=font, fill=ink)
        y += 36
    draw.line((40, y + 12, width - 40, y + 12), fill=ink, width=2)
    draw.text((40, height - 70), "THE NEWSROOM EDITOR", font=small, fill=ink)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name="cover.jpg")


def load_demo(
    *, stdout: OutputWrapper, update: bool = False, dry_run: bool = False, renditions: bool = True
) -> None:
    """The `load_demo` hook. The support side never overwrites what exists, so `update` changes
    nothing here; covers are small and have no renditions; a dry run draws no covers (files
    would outlive the rolled-back rows)."""
    counts = load_demo_donations(covers=not dry_run)
    stdout.write("Support sidebar: " + describe_counts(counts) + ".")


def describe_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())


@transaction.atomic
def load_demo_donations(*, covers: bool = True) -> dict[str, int]:
    """Create whatever demo support content is missing (never overwriting the editor's changes),
    with drawn book covers unless `covers` is off; returns counts of what exists afterwards."""
    DonationSettings.objects.get_or_create(
        pk=1,
        defaults={
            "appeal_heading": "Support Independent Journalism",
            "appeal_text": (
                "No paywall, no advertisers telling us what to cover: this site runs on readers' gifts. "
                "Give once or every month through PayPal."
            ),
            "donate_page_text": (
                "Gifts pay for reporting trips, translation and the servers that bring you this site. "
                "Monthly gifts help us plan ahead."
            ),
            "suggested_amounts": "10, 25, 50, 100",
            "default_amount": Decimal("25"),
            "currency": "USD",
            "monthly_enabled": True,
            "paypal_business": DEMO_PAYPAL_BUSINESS,
            "paypal_sandbox": True,
            "check_payee": "The Newsroom Editor",
            "check_address": "The Newsroom Editor\nP.O. Box 1207\nSpringfield, ST 00000-1207\nUSA",
            "check_note": "Please make checks out to “The Newsroom Editor”, or the bank cannot cash them.",
        },
    )
    today = timezone.localdate()
    month_start = today.replace(day=1)
    next_month = (month_start + datetime.timedelta(days=32)).replace(day=1)
    campaign, _ = Campaign.objects.get_or_create(
        title="This month's fund drive",
        defaults={
            "description": "Help us cover the next month of independent reporting.",
            "goal": Decimal("5000"),
            "currency": "USD",
            "starts_on": month_start,
            "ends_on": next_month - datetime.timedelta(days=1),
        },
    )
    for position, book in enumerate(BOOKS):
        promotion, _ = Promotion.objects.get_or_create(
            title=book["title"],
            defaults={
                "text": book["text"],
                "link_url": book["link_url"],
                "link_label": book["link_label"],
                "position": position,
                "is_published": True,
            },
        )
        if covers and not promotion.cover:
            promotion.cover.save("cover.jpg", cover_image(book["title"], *book["colors"]))
    for position, (network, url) in enumerate(SOCIAL):
        SocialLink.objects.get_or_create(
            network=network, defaults={"url": url, "position": position, "is_visible": True}
        )
    for position, (kind, title) in enumerate(BLOCKS):
        SidebarBlock.objects.get_or_create(
            kind=kind, defaults={"title": title, "position": position, "is_visible": True}
        )
    if not Donation.objects.filter(reference__startswith=DEMO_REFERENCE_PREFIX).exists():
        _load_demo_gifts(campaign, today)
    return {
        "donations": Donation.objects.count(),
        "promotions": Promotion.objects.count(),
        "social_links": SocialLink.objects.count(),
        "sidebar_blocks": SidebarBlock.objects.count(),
    }


def _load_demo_gifts(campaign: Campaign, today: datetime.date) -> None:
    """A year of gifts (PayPal and checks, some monthly), one refunded; thank-yous marked as sent."""
    rng = random.Random(5)
    now = timezone.now()
    gifts = []
    for number in range(60):
        days_ago = rng.randint(0, 360) if number >= 12 else rng.randint(0, today.day - 1)
        received_at = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 12))
        name, email = DONORS[number % len(DONORS)]
        by_check = number % 5 == 0
        gifts.append(
            Donation(
                amount=Decimal(rng.choice([10, 25, 25, 50, 50, 100, 250])),
                currency="USD",
                method=Donation.Method.CHECK if by_check else Donation.Method.PAYPAL,
                donor_name=name,
                donor_email=email,
                received_at=received_at,
                campaign=campaign if received_at.date() >= campaign.starts_on else None,
                recurring=not by_check and number % 4 == 1,
                reference=f"{DEMO_REFERENCE_PREFIX}{'CHK' if by_check else 'PP'}-{number:03d}",
                thank_you_sent_at=received_at if email else None,
            )
        )
    Donation.objects.bulk_create(gifts)
    bump_on_commit()  # bulk_create sends no signals: the campaign's kept totals must go
    refunded = Donation.objects.filter(
        method=Donation.Method.PAYPAL, reference=f"{DEMO_REFERENCE_PREFIX}PP-013"
    ).first()
    if refunded:
        Donation.objects.create(
            amount=-refunded.amount,
            currency=refunded.currency,
            method=Donation.Method.PAYPAL,
            kind=Donation.Kind.REFUND,
            donor_name=refunded.donor_name,
            donor_email=refunded.donor_email,
            received_at=refunded.received_at + datetime.timedelta(days=2),
            campaign=refunded.campaign,
            reference=f"{DEMO_REFERENCE_PREFIX}PP-013-R",
            refund_of=refunded,
            note="Refunded at the donor's request (demo).",
        )
