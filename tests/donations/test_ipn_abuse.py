"""The IPN endpoint under a flood: per-address limits, bodies PayPal would never send, and
forgeries that cost PayPal's verifier one question at most."""

import pytest

from donations.models import PayPalNotification
from tests.donations.conftest import ipn_body, run_queued_tasks

pytestmark = pytest.mark.django_db

Status = PayPalNotification.Status
IPN_URL = "/donate/paypal/ipn/"


def post_ipn(client, body: str | bytes, ip: str = "203.0.113.7"):
    return client.post(
        IPN_URL, data=body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR=ip
    )


@pytest.mark.parametrize(
    "body",
    [
        ipn_body(verify_sign=None),  # PayPal signs every notification
        ipn_body(txn_id="<script>"),
        ipn_body(txn_id="9" * 200),
        ipn_body(payment_status="Completed'; DROP TABLE"),
        ipn_body(charset="idna", first_name="J\u00f6rg"),
    ],
)
def test_bodies_paypal_would_never_send_are_refused_and_not_stored(client, donation_settings, body):
    response = post_ipn(client, body)
    assert response.status_code == 400
    assert "Not a PayPal notification" in response.content.decode()
    assert PayPalNotification.objects.count() == 0


def test_a_flood_of_one_forged_body_costs_one_verification(client, verifier, donation_settings):
    verifier.answer = "INVALID"
    forged = ipn_body(txn_id="FORGED0000000001")
    for _ in range(20):
        assert post_ipn(client, forged).status_code == 200
    run_queued_tasks()
    assert len(verifier.received) == 1
    assert PayPalNotification.objects.get().status == Status.INVALID
    # Sent again later: answered from what PayPal already said.
    assert post_ipn(client, forged).status_code == 200
    run_queued_tasks()
    assert len(verifier.received) == 1


def test_an_address_with_too_many_unverified_notifications_is_refused(
    client, settings, verifier_down, donation_settings
):
    settings.PAYPAL_IPN_MAX_PENDING_PER_ADDRESS = 3
    statuses = [post_ipn(client, ipn_body(txn_id=f"TXN{n:05d}")).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert PayPalNotification.objects.filter(status=Status.PENDING).count() == 3
    # Another address (PayPal has several) is not held up by the first.
    assert post_ipn(client, ipn_body(txn_id="TXN99999"), ip="198.51.100.2").status_code == 200


def test_notifications_are_rate_limited_per_address(client, settings, donation_settings):
    settings.PAYPAL_IPN_RATE_LIMIT = (3, 60)
    statuses = [post_ipn(client, ipn_body(txn_id=f"RATE{n:04d}")).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    response = post_ipn(client, ipn_body(txn_id="RATE9999"))
    assert response["Retry-After"] == "60"
    assert post_ipn(client, ipn_body(txn_id="OTHER001"), ip="198.51.100.3").status_code == 200
