"""The newsletter signup in Chromium: in place with JavaScript, accessible, no CSP complaints."""

import pytest

from newsletter import services
from newsletter.models import Subscriber
from tests.factories import SubscriberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sidebar_signup_submits_in_place(desktop_page, settings):
    settings.NEWSLETTER_MIN_FILL_SECONDS = 0
    page = desktop_page
    page.open("/newsletter/")
    page.assert_accessible()
    form = page.locator("#sidebar form[data-newsletter-form]")
    form.locator("input[name=email]").fill("  Chromium.Reader@Example.com ")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#sidebar .newsletter-form__status--done", timeout=10_000)
    assert "check your inbox" in form.locator(".newsletter-form__status").inner_text()
    assert page.url.endswith("/newsletter/")  # no page load
    assert Subscriber.objects.get().email == "chromium.reader@example.com"
    assert not form.locator("button[type=submit]").is_visible()
    page.screenshot_as("sidebar-signup-done")
    assert page.console_errors == []


def test_invalid_address_shows_the_message_next_to_the_field(desktop_page, settings):
    settings.NEWSLETTER_MIN_FILL_SECONDS = 0
    page = desktop_page
    page.open("/newsletter/")
    form = page.locator("main form[data-newsletter-form]")
    form.locator("input[name=email]").fill("not-an-address")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("main .newsletter-form__error", timeout=10_000)
    assert "valid email address" in form.locator(".newsletter-form__error").inner_text()
    assert form.locator("input[name=email]").get_attribute("aria-invalid") == "true"
    assert not Subscriber.objects.exists()


def test_confirm_page_is_accessible_and_confirms_on_click(desktop_page):
    subscriber = SubscriberFactory(email="c@example.com", pending=True)
    page = desktop_page
    page.open(f"/newsletter/confirm/{services.make_confirm_token(subscriber)}/")
    page.assert_accessible()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    page.get_by_role("button", name="Yes, subscribe me").click()
    page.wait_for_selector("text=You're subscribed")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert page.console_errors == []
