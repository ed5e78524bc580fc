"""Thank-you mail: queued on the task queue, sent through SMTP, once per gift."""

from decimal import Decimal

import pytest
from django_tasks_db.models import DBTaskResult

from articles.models import Publication
from donations import services, tasks
from donations.models import Donation
from tests.donations.conftest import ipn_body, run_queued_tasks
from tests.factories import DonationFactory

pytestmark = pytest.mark.django_db


def test_paypal_donor_is_thanked_once_through_the_queue(
    client, verifier, donation_settings, smtp_sink, settings
):
    settings.DEFAULT_FROM_EMAIL = "news@example.org"
    Publication.objects.update_or_create(pk=1, defaults={"title": "The Long View"})
    body = ipn_body()
    client.post("/donate/paypal/ipn/", data=body, content_type="application/x-www-form-urlencoded")
    client.post("/donate/paypal/ipn/", data=body, content_type="application/x-www-form-urlencoded")
    run_queued_tasks()  # verifies both, records one, queues one thank-you
    run_queued_tasks()  # sends it
    assert [rcpts for rcpts, _ in smtp_sink.messages] == [["reader@example.net"]]
    message = smtp_sink.messages[0][1]
    assert message["Subject"] == "Thank you for supporting our journalism"
    text = message.get_body(("plain",)).get_content()
    assert "Dear Ann Reader" in text
    assert "Your gift: $25, received" in text
    assert message["From"] == "The Long View <news@example.org>"
    assert "https://news.example.org/" in text
    assert message.get_body(("html",)) is not None
    assert Donation.objects.get().thank_you_sent_at is not None


def test_thank_you_is_never_sent_twice(donation_settings, smtp_sink):
    gift = DonationFactory(amount=Decimal("40"), donor_email="d@example.net", donor_name="Dee")
    assert services.send_thank_you(donation_id=gift.pk) is True
    assert services.send_thank_you(donation_id=gift.pk) is False
    gift.refresh_from_db()
    assert tasks.queue_thank_you(donation=gift) is False  # already thanked: nothing queued
    assert len(smtp_sink.messages) == 1


def test_no_mail_without_an_address_or_for_refunds(donation_settings, smtp_sink):
    anonymous = DonationFactory()
    assert tasks.queue_thank_you(donation=anonymous) is False
    refund = DonationFactory(refund=True, refund_of=anonymous, donor_email="x@example.net")
    assert tasks.queue_thank_you(donation=refund) is False
    assert services.send_thank_you(donation_id=refund.pk) is False
    assert DBTaskResult.objects.count() == 0


def test_failed_send_can_be_retried(donation_settings, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    gift = DonationFactory(donor_email="d@example.net")
    with pytest.raises(OSError):
        services.send_thank_you(donation_id=gift.pk)
    gift.refresh_from_db()
    assert gift.thank_you_sent_at is None  # released, so a later attempt sends it


def test_monthly_donor_is_thanked_for_the_first_payment_only(
    client, verifier, donation_settings, smtp_sink
):
    for month, txn_id in enumerate(["SUB-1", "SUB-2"], start=1):
        body = ipn_body(
            txn_type="subscr_payment", txn_id=txn_id, payment_date=f"10:00:00 Jan {month}, 2026 PST"
        )
        client.post(
            "/donate/paypal/ipn/", data=body, content_type="application/x-www-form-urlencoded"
        )
        run_queued_tasks()
        run_queued_tasks()
    assert Donation.objects.filter(recurring=True).count() == 2
    assert len(smtp_sink.messages) == 1
