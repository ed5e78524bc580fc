"""The support side in Chromium: sidebar and /donate/ render, the chosen amount is what PayPal gets."""

from urllib.parse import parse_qs, urlsplit

import pytest

from donations.models import Campaign, DonationSettings, Promotion, SidebarBlock, SocialLink

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def support_content(db):
    import datetime

    from django.utils import timezone

    DonationSettings.objects.update_or_create(
        pk=1,
        defaults={
            "paypal_business": "donations@example.org",
            "suggested_amounts": "10, 25, 50, 100",
            "default_amount": 25,
            "check_payee": "The Newsroom Editor",
            "check_address": "P.O. Box 1207\nSpringfield, ST 00000",
        },
    )
    today = timezone.localdate()
    Campaign.objects.create(
        title="Winter drive",
        goal=1000,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=10),
    )
    SocialLink.objects.create(network="bluesky", url="https://bsky.app/profile/example")
    Promotion.objects.create(title="A book", link_url="https://books.example.org/a")
    for position, kind in enumerate(["donation_appeal", "campaign", "social_links", "promotions"]):
        SidebarBlock.objects.create(kind=kind, position=position)


def capture_paypal(page) -> list[str]:
    """Never reach the real PayPal: answer its checkout with a stub page and remember the URL."""
    seen: list[str] = []

    def fulfil(route):
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>PayPal stub</title>")

    page.route("https://www.paypal.com/**", fulfil)
    page.route("https://www.sandbox.paypal.com/**", fulfil)
    return seen


def params_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_sidebar_appeal_renders_and_sends_the_chosen_amount(desktop_page, support_content):
    seen = capture_paypal(desktop_page)
    desktop_page.open("/archives/")
    sidebar = desktop_page.locator("#sidebar")
    assert sidebar.get_by_role("heading", name="Support Independent Journalism").is_visible()
    assert sidebar.get_by_text("The Newsroom Editor").is_visible()
    assert sidebar.locator(".campaign-progress").is_visible()
    sidebar.get_by_text("$50", exact=True).click()
    sidebar.get_by_role("button", name="Donate via PayPal").click()
    desktop_page.wait_for_url("https://www.paypal.com/**")
    params = params_of(seen[-1])
    assert params["cmd"] == "_donations"
    assert params["amount"] == "50.00"
    assert params["business"] == "donations@example.org"
    assert desktop_page.console_errors == []


def test_donate_page_monthly_and_other_amount(any_page, support_content):
    seen = capture_paypal(any_page)
    any_page.open("/donate/")
    main = any_page.locator("#content")
    main.get_by_label("Other amount (USD)").fill("42")
    main.get_by_text("Monthly", exact=True).click()
    main.get_by_role("button", name="Donate via PayPal").click()
    any_page.wait_for_url("https://www.paypal.com/**")
    params = params_of(seen[-1])
    assert params["cmd"] == "_xclick-subscriptions"
    assert (params["a3"], params["t3"]) == ("42.00", "M")
    assert params["return"].endswith("/donate/thanks/")


def test_keyboard_can_choose_an_amount(desktop_page, support_content):
    seen = capture_paypal(desktop_page)
    desktop_page.open("/donate/")
    desktop_page.locator("#donate-amount_1").focus()  # $25, the default
    desktop_page.keyboard.press("ArrowRight")  # radios move with the arrow keys
    assert desktop_page.locator("#donate-amount_2").is_checked()
    desktop_page.locator("#content").get_by_role("button", name="Donate via PayPal").click()
    desktop_page.wait_for_url("https://www.paypal.com/**")
    assert params_of(seen[-1])["amount"] == "50.00"


def test_bad_amount_is_explained(desktop_page, support_content):
    desktop_page.open("/donate/")
    main = desktop_page.locator("#content")
    main.get_by_label("Other amount (USD)").fill("0.5")
    # The browser's own check (min=1) stops it first; without it the server explains.
    main.get_by_label("Other amount (USD)").evaluate("input => input.removeAttribute('min')")
    main.get_by_role("button", name="Donate via PayPal").click()
    assert main.get_by_role("alert").inner_text().strip() != ""
    assert "/donate/checkout/" in desktop_page.url


def test_donate_page_has_no_axe_violations(any_page, support_content):
    any_page.open("/donate/")
    any_page.screenshot_as("donate")
    any_page.assert_accessible()
    assert any_page.console_errors == []


def test_sidebar_has_no_axe_violations(desktop_page, support_content):
    desktop_page.open("/archives/")
    desktop_page.screenshot_as("sidebar")
    desktop_page.assert_accessible()


def test_typing_another_amount_unselects_the_buttons(desktop_page, support_content):
    seen = capture_paypal(desktop_page)
    desktop_page.open("/donate/")
    main = desktop_page.locator("#content")
    assert main.locator("#donate-amount_1").is_checked()
    main.get_by_label("Other amount (USD)").fill("15")
    assert not main.locator("#donate-amount_1").is_checked()
    main.get_by_text("$100", exact=True).click()
    assert main.get_by_label("Other amount (USD)").input_value() == ""
    main.get_by_role("button", name="Donate via PayPal").click()
    desktop_page.wait_for_url("https://www.paypal.com/**")
    assert params_of(seen[-1])["amount"] == "100.00"
