"""/donate/ and the checkout hop: what the reader chooses is what PayPal receives."""

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from donations.models import DonationSettings

pytestmark = pytest.mark.django_db


def paypal_params(response) -> tuple[str, dict[str, str]]:
    assert response.status_code == 303, response.content[:500]
    url = urlsplit(response["Location"])
    return f"{url.scheme}://{url.netloc}{url.path}", {
        key: values[0] for key, values in parse_qs(url.query).items()
    }


def test_donate_page_shows_editor_text_amounts_and_check_address(client, donation_settings):
    donation_settings.appeal_heading = "Keep us independent"
    donation_settings.donate_page_text = "Gifts pay for reporting trips."
    donation_settings.check_note = "Make checks out to the editor."
    donation_settings.save()
    html = client.get("/donate/").content.decode()
    assert '<h1 class="entry-title">Keep us independent</h1>' in html
    assert "Gifts pay for reporting trips." in html
    for amount in ("10.00", "25.00", "50.00", "100.00"):
        assert f'value="{amount}"' in html
    assert re.search(r'<input[^>]*value="25.00"[^>]*checked', html)  # the editor's default amount
    assert "The Newsroom Editor" in html
    assert "P.O. Box 1207<br>Springfield, ST 00000" in html
    assert "Make checks out to the editor." in html
    assert "csrfmiddlewaretoken" not in html  # a GET form: pages stay cacheable


def test_one_time_gift_goes_to_paypal_donations_checkout(client, donation_settings):
    action, params = paypal_params(
        client.get("/donate/checkout/", {"amount": "50.00", "frequency": "once"})
    )
    assert action == "https://www.paypal.com/cgi-bin/webscr"
    assert params == {
        "cmd": "_donations",
        "business": "donations@example.org",
        "item_name": "Donation",
        "amount": "50.00",
        "currency_code": "USD",
        "no_shipping": "1",
        "no_note": "1",
        "rm": "1",
        "return": "http://testserver/donate/thanks/",
        "cancel_return": "http://testserver/donate/cancelled/",
        "notify_url": "http://testserver/donate/paypal/ipn/",
    }


def test_monthly_gift_becomes_a_paypal_subscription(client, donation_settings):
    _, params = paypal_params(
        client.get("/donate/checkout/", {"amount": "10.00", "frequency": "monthly"})
    )
    assert params["cmd"] == "_xclick-subscriptions"
    assert (params["a3"], params["p3"], params["t3"], params["src"]) == ("10.00", "1", "M", "1")
    assert "amount" not in params
    assert params["item_name"] == "Monthly donation"


def test_other_amount_wins_over_the_buttons(client, donation_settings):
    _, params = paypal_params(
        client.get("/donate/checkout/", {"amount": "25.00", "other_amount": "37.5"})
    )
    assert params["amount"] == "37.50"


def test_currency_and_sandbox_come_from_the_editor_settings(client, donation_settings):
    donation_settings.currency = "EUR"
    donation_settings.paypal_sandbox = True
    donation_settings.save()
    action, params = paypal_params(client.get("/donate/checkout/", {"amount": "10.00"}))
    assert action == "https://www.sandbox.paypal.com/cgi-bin/webscr"
    assert params["currency_code"] == "EUR"


def test_hosted_button_is_used_without_business_id(client, donation_settings):
    donation_settings.paypal_business = ""
    donation_settings.paypal_hosted_button_id = "HB12345"
    donation_settings.save()
    html = client.get("/donate/").content.decode()
    assert "How often" not in html  # a hosted button cannot be made monthly here
    _, params = paypal_params(client.get("/donate/checkout/", {"amount": "25.00"}))
    assert params["cmd"] == "_s-xclick"
    assert params["hosted_button_id"] == "HB12345"
    assert "business" not in params


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Choose an amount or type another one."),
        ({"other_amount": "abc"}, "Type the other amount as a number, such as 25 or 25.50."),
        ({"other_amount": "0.50"}, "The smallest gift we can take online is $1."),
        ({"other_amount": "250000"}, "Online gifts go up to $100,000"),
        ({"other_amount": "12.345"}, "at most two digits after the point"),
        ({"amount": "13.00"}, "Choose one of the amounts shown, or type your own"),
    ],
)
def test_bad_amount_is_explained_at_the_top_of_the_form_in_plain_words(
    client, donation_settings, query, message
):
    response = client.get("/donate/checkout/", query)
    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index('<form class="donate-form"') :]
    # The first thing in the form, before the amount buttons; one message, no Django jargon.
    alert = re.match(r'<form[^>]*>\s*<div class="form-errors" role="alert">(.*?)</div>', form, re.S)
    assert alert, form[:400]
    assert message in alert.group(1)
    assert alert.group(1).count("<li>") == 1
    for jargon in ("Select a valid choice", "Enter a number", "greater than or equal"):
        assert jargon not in html


@pytest.mark.parametrize("spelling", ["25", "25.00", "25.0", "$25"])
def test_amount_in_a_link_is_accepted_however_it_is_spelled(client, donation_settings, spelling):
    _, params = paypal_params(client.get("/donate/checkout/", {"amount": spelling}))
    assert params["amount"] == "25.00"


def test_paypal_item_is_named_after_the_publication_unless_the_editor_names_it(
    client, donation_settings
):
    from articles.models import Publication

    Publication.objects.update_or_create(pk=1, defaults={"title": "The Long View"})
    donation_settings.paypal_item_name = ""
    donation_settings.save()
    _, once = paypal_params(client.get("/donate/checkout/", {"amount": "25"}))
    _, monthly = paypal_params(
        client.get("/donate/checkout/", {"amount": "25", "frequency": "monthly"})
    )
    assert once["item_name"] == "Donation to The Long View"
    assert monthly["item_name"] == "Monthly donation to The Long View"


def test_monthly_is_refused_when_not_offered(client, donation_settings):
    donation_settings.monthly_enabled = False
    donation_settings.save()
    _, params = paypal_params(
        client.get("/donate/checkout/", {"amount": "10.00", "frequency": "monthly"})
    )
    assert params["cmd"] == "_donations"  # the field is gone, the gift is one-time


def test_without_paypal_settings_the_reader_is_sent_to_the_check_address(client, db):
    DonationSettings.objects.update_or_create(
        pk=1, defaults={"check_payee": "Ed", "check_address": "Box 1"}
    )
    assert "Donate via PayPal" not in client.get("/donate/").content.decode()
    response = client.get("/donate/checkout/", {"amount": "10.00"})
    assert response.status_code == 400
    assert "please send a check" in response.content.decode()


def test_checkout_is_never_cached(client, donation_settings):
    response = client.get("/donate/checkout/", {"amount": "10.00"})
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_thanks_and_cancelled_pages(client, donation_settings):
    donation_settings.thank_you_heading = "Thank you, truly"
    donation_settings.save()
    assert "Thank you, truly" in client.get("/donate/thanks/").content.decode()
    assert "no payment was made" in client.get("/donate/cancelled/").content.decode()


def test_suggested_amounts_are_validated(db):
    from django.core.exceptions import ValidationError

    settings_row = DonationSettings(suggested_amounts="10, ten")
    with pytest.raises(ValidationError, match="not an amount"):
        settings_row.full_clean()
    assert DonationSettings(suggested_amounts="5; 7.5").amount_choices == [
        Decimal("5.00"),
        Decimal("7.50"),
    ]


@pytest.mark.parametrize("size", [1, 10])
def test_donate_page_queries_do_not_grow(
    client, donation_settings, django_assert_num_queries, size
):
    from donations.models import Promotion, SidebarBlock
    from tests.factories import CampaignFactory, DonationFactory, SidebarBlockFactory

    campaign = CampaignFactory(goal=100)
    for number in range(size):
        DonationFactory(amount=Decimal("5"), campaign=campaign)
        Promotion.objects.create(title=f"Book {number}", link_url=f"https://e.org/{number}")
    SidebarBlockFactory(kind=SidebarBlock.Kind.PROMOTIONS)
    client.get("/donate/")  # warms the caches
    with django_assert_num_queries(0):
        html = client.get("/donate/").content.decode()
    assert html.count('class="promotion"') == size


def test_amount_buttons_read_in_the_chosen_currency():
    from donations.forms import money_label

    assert money_label(Decimal("25.00"), "USD") == "$25"
    assert money_label(Decimal("10"), "EUR") == "€10"
    assert money_label(Decimal("7.50"), "CHF") == "7.50 CHF"


def test_large_amounts_group_their_thousands():
    from donations.forms import money_label

    assert money_label(Decimal("5000"), "USD") == "$5,000"
    assert money_label(Decimal("1234.5"), "GBP") == "£1,234.50"
