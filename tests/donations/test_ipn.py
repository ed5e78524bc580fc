"""PayPal IPN, end to end: the endpoint stores, the worker verifies with a local server and records."""

import datetime
import logging
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from donations.models import Campaign, Donation, PayPalNotification
from donations.tasks import process_paypal_notification
from tests.donations.conftest import ipn_body, run_queued_tasks

pytestmark = pytest.mark.django_db

Status = PayPalNotification.Status
IPN_URL = "/donate/paypal/ipn/"


def post_ipn(client, body: str | bytes):
    return client.post(IPN_URL, data=body, content_type="application/x-www-form-urlencoded")


def test_ipn_url_is_where_paypal_is_told_to_post():
    assert reverse("donations:paypal-ipn") == IPN_URL


def test_verified_completed_payment_is_recorded(client, verifier, donation_settings):
    body = ipn_body()
    response = post_ipn(client, body)
    assert response.status_code == 200
    # Answered before any verification: PayPal is not kept waiting.
    assert verifier.received == []
    assert Donation.objects.count() == 0

    run_queued_tasks()

    assert verifier.received == ["cmd=_notify-validate&" + body]  # posted back byte for byte
    donation = Donation.objects.get()
    assert donation.amount == Decimal("25.00")
    assert donation.currency == "USD"
    assert donation.method == Donation.Method.PAYPAL
    assert donation.kind == Donation.Kind.DONATION
    assert donation.reference == "9AB12345CD678901E"
    assert donation.donor_name == "Ann Reader"
    assert donation.donor_email == "reader@example.net"
    assert donation.recurring is False
    assert donation.received_at == datetime.datetime(2026, 1, 14, 4, 12, 59, tzinfo=datetime.UTC)
    notification = PayPalNotification.objects.get()
    assert notification.status == Status.RECORDED
    assert notification.donation == donation


def test_subscription_payment_is_recorded_as_recurring(client, verifier, donation_settings):
    post_ipn(client, ipn_body(txn_type="subscr_payment", txn_id="SUB-PAYMENT-1"))
    run_queued_tasks()
    assert Donation.objects.get().recurring is True


def test_invalid_notification_is_logged_and_never_recorded(
    client, verifier, donation_settings, caplog
):
    verifier.answer = "INVALID"
    with caplog.at_level(logging.WARNING, logger="donations.services"):
        assert post_ipn(client, ipn_body()).status_code == 200
        run_queued_tasks()
    assert Donation.objects.count() == 0
    assert PayPalNotification.objects.get().status == Status.INVALID
    assert "INVALID" in caplog.text


def test_retried_notification_is_recorded_once(client, verifier, donation_settings):
    body = ipn_body()
    for _ in range(3):
        assert post_ipn(client, body).status_code == 200
    run_queued_tasks()
    assert Donation.objects.count() == 1
    # PayPal's resends of the same message are answered without storing or verifying it again.
    statuses = sorted(PayPalNotification.objects.values_list("status", flat=True))
    assert statuses == [Status.RECORDED]
    assert len(verifier.received) == 1


def test_the_same_payment_in_another_message_is_a_duplicate(client, verifier, donation_settings):
    post_ipn(client, ipn_body())
    post_ipn(client, ipn_body(notify_version="3.9"))  # same txn, a different message
    run_queued_tasks()
    assert Donation.objects.count() == 1
    statuses = sorted(PayPalNotification.objects.values_list("status", flat=True))
    assert statuses == [Status.DUPLICATE, Status.RECORDED]


def test_payment_to_another_receiver_is_ignored(client, verifier, donation_settings):
    post_ipn(
        client,
        ipn_body(receiver_email="someone-else@example.com", business="someone-else@example.com"),
    )
    run_queued_tasks()
    assert Donation.objects.count() == 0
    notification = PayPalNotification.objects.get()
    assert notification.status == Status.IGNORED
    assert "someone-else@example.com" in notification.detail


def test_receiver_can_be_named_by_merchant_id(client, verifier, donation_settings):
    donation_settings.paypal_business = "MERCHANT42"
    donation_settings.save()
    post_ipn(client, ipn_body(receiver_email="owner@example.org", receiver_id="MERCHANT42"))
    run_queued_tasks()
    assert Donation.objects.count() == 1


def test_pending_payment_is_not_recorded(client, verifier, donation_settings):
    post_ipn(client, ipn_body(payment_status="Pending", pending_reason="echeck"))
    run_queued_tasks()
    assert Donation.objects.count() == 0
    assert PayPalNotification.objects.get().status == Status.IGNORED


def test_refund_is_recorded_against_the_original(client, verifier, donation_settings, commit):
    campaign = Campaign.objects.create(
        title="Drive",
        goal=1000,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 1, 31),
    )
    post_ipn(client, ipn_body())
    run_queued_tasks()
    original = Donation.objects.get()
    assert original.campaign == campaign
    assert campaign.raised() == Decimal("25.00")

    refund = ipn_body(
        txn_id="REFUND0001",
        parent_txn_id="9AB12345CD678901E",
        payment_status="Refunded",
        reason_code="refund",
        mc_gross="-25.00",
        txn_type=None,
        payment_date="09:00:00 Jan 20, 2026 PST",
    )
    post_ipn(client, refund)
    post_ipn(client, refund)  # PayPal retries refunds too
    commit(run_queued_tasks)  # the campaign's kept total goes when the worker's work commits

    adjustment = Donation.objects.get(kind=Donation.Kind.REFUND)
    assert adjustment.refund_of == original
    assert adjustment.amount == Decimal("-25.00")
    assert adjustment.campaign == campaign
    assert Donation.objects.count() == 2
    assert campaign.raised() == Decimal("0")


def test_reversal_and_its_cancellation_are_recorded(client, verifier, donation_settings):
    post_ipn(client, ipn_body())
    run_queued_tasks()
    post_ipn(
        client,
        ipn_body(
            txn_id="REV1",
            parent_txn_id="9AB12345CD678901E",
            payment_status="Reversed",
            mc_gross="-25.00",
        ),
    )
    post_ipn(
        client,
        ipn_body(
            txn_id="REV1-CANCEL",
            parent_txn_id="9AB12345CD678901E",
            payment_status="Canceled_Reversal",
            mc_gross="25.00",
        ),
    )
    run_queued_tasks()
    kinds = dict(Donation.objects.values_list("kind", "amount"))
    assert kinds == {
        Donation.Kind.DONATION: Decimal("25.00"),
        Donation.Kind.REVERSAL: Decimal("-25.00"),
        Donation.Kind.REVERSAL_CANCELLED: Decimal("25.00"),
    }


def test_refund_of_unknown_transaction_is_kept_for_review_not_recorded(
    client, verifier, donation_settings
):
    post_ipn(
        client,
        ipn_body(
            txn_id="R9", parent_txn_id="NEVER-SEEN", payment_status="Refunded", mc_gross="-5.00"
        ),
    )
    run_queued_tasks()
    assert Donation.objects.count() == 0
    notification = PayPalNotification.objects.get()
    assert notification.status == Status.IGNORED
    assert "NEVER-SEEN" in notification.detail


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        "txn_id=1&first_name=J\u00f6rg".encode(),  # raw non-ASCII bytes: not urlencoded
        b"just some text",
        b"foo=bar&baz=1",  # urlencoded, but no transaction fields
    ],
)
def test_malformed_body_is_rejected_and_nothing_stored(client, verifier, donation_settings, body):
    response = post_ipn(client, body)
    assert response.status_code == 400
    assert b"Not a PayPal notification" in response.content
    assert PayPalNotification.objects.count() == 0
    run_queued_tasks()
    assert verifier.received == []


def test_ipn_endpoint_answers_only_post(client):
    assert client.get(IPN_URL).status_code == 405


def test_text_in_the_notifications_charset_is_decoded(client, verifier, donation_settings):
    # PayPal's default IPN charset is windows-1252: %F6 is "ö".
    body = ipn_body(charset="windows-1252", first_name="J\u00f6rg").replace("J%C3%B6rg", "J%F6rg")
    post_ipn(client, body)
    run_queued_tasks()
    assert verifier.received == ["cmd=_notify-validate&" + body]
    assert Donation.objects.get().donor_name == "J\u00f6rg Reader"


def test_notification_survives_verifier_outage_and_is_recorded_later(
    client, verifier_down, donation_settings, settings, verifier
):
    settings.PAYPAL_IPN_VERIFY_URL = verifier_down
    assert post_ipn(client, ipn_body()).status_code == 200
    run_queued_tasks()

    notification = PayPalNotification.objects.get()
    assert notification.status == Status.PENDING
    assert notification.attempts == 1
    assert "127.0.0.1" in notification.detail
    assert Donation.objects.count() == 0
    retry = DBTaskResult.objects.filter(
        task_path__endswith="process_paypal_notification", status="READY"
    ).get()
    assert retry.run_after > timezone.now()  # queued for later, not lost

    # PayPal's verifier is back.
    settings.PAYPAL_IPN_VERIFY_URL = verifier.url
    process_paypal_notification.call(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Status.RECORDED
    assert Donation.objects.get().reference == "9AB12345CD678901E"


def test_verifier_answering_garbage_counts_as_unavailable(client, verifier, donation_settings):
    verifier.answer = "<html>Service Unavailable</html>"
    post_ipn(client, ipn_body())
    run_queued_tasks()
    notification = PayPalNotification.objects.get()
    assert notification.status == Status.PENDING
    assert "Service Unavailable" in notification.detail


def test_gives_up_after_the_last_retry(verifier_down, donation_settings, client):
    from donations.services import RETRY_DELAYS

    post_ipn(client, ipn_body())
    notification = PayPalNotification.objects.get()
    for _ in RETRY_DELAYS:
        process_paypal_notification.call(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.attempts == len(RETRY_DELAYS)


def test_retry_command_requeues_waiting_notifications(verifier, donation_settings, client):
    from django.core.management import call_command

    post_ipn(client, ipn_body())
    DBTaskResult.objects.all().delete()  # as if the worker's queue had been lost
    call_command("retry_paypal_notifications", "--dry-run")
    assert DBTaskResult.objects.count() == 0
    call_command("retry_paypal_notifications")
    run_queued_tasks()
    assert PayPalNotification.objects.get().status == Status.RECORDED
    assert Donation.objects.filter(method=Donation.Method.PAYPAL).count() == 1
    assert "donations%40example.org" in verifier.received[0]


def test_absurd_amount_is_ignored_not_crashed(client, verifier, donation_settings):
    post_ipn(client, ipn_body(mc_gross="1e20"))
    run_queued_tasks()
    assert Donation.objects.count() == 0
    assert PayPalNotification.objects.get().status == Status.IGNORED


def test_ipn_endpoint_does_no_network_and_little_database_work(
    client, verifier, donation_settings, django_assert_max_num_queries
):
    # Was it received before, how many wait from this address, the stored message, its task.
    with django_assert_max_num_queries(6):
        assert post_ipn(client, ipn_body()).status_code == 200
    assert verifier.received == []


def test_oversized_body_is_rejected(client, donation_settings):
    response = post_ipn(client, ipn_body(memo="x" * 30_000))
    assert response.status_code == 400
    assert PayPalNotification.objects.count() == 0
