"""Side effects of the donations app: taking in PayPal notifications, recording money, thanking donors.

Queueing work for the workers lives in `donations.tasks`, which calls this module (never the other
way round)."""

import datetime
import hashlib
import logging
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Publication
from donations import paypal
from donations.models import Campaign, Donation, DonationSettings, PayPalNotification

logger = logging.getLogger(__name__)

# When PayPal's verifier is unreachable, try again after these pauses (seconds), then give up
# (the notification stays in the admin as "Gave up verifying"; PayPal's own retries may bring it again).
RETRY_DELAYS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600]

Status = PayPalNotification.Status

ADJUSTMENT_KINDS = {
    "Refunded": Donation.Kind.REFUND,
    "Reversed": Donation.Kind.REVERSAL,
    "Canceled_Reversal": Donation.Kind.REVERSAL_CANCELLED,
}
RECURRING_TXN_TYPES = {"subscr_payment", "recurring_payment"}
PAYPAL_TIMEZONES = {"PST": -8, "PDT": -7}
MAX_AMOUNT = Decimal("1000000000")


class TooManyPending(Exception):
    """This address has more notifications waiting for verification than PayPal ever sends."""


def store_notification(
    *, body: bytes, sender_ip: str | None = None
) -> tuple[PayPalNotification, bool]:
    """Store an IPN message; returns it and whether it is new (to be verified). Raises
    paypal.MalformedNotification, or TooManyPending when `sender_ip` already has
    PAYPAL_IPN_MAX_PENDING_PER_ADDRESS waiting.

    A message received before (PayPal resends until it hears 200; a flood repeats one forged body)
    is returned without storing it again. `tasks.receive_notification` queues the verification.
    """
    fields = paypal.parse_notification(body)
    digest = hashlib.sha256(body).hexdigest()
    known = PayPalNotification.objects.filter(body_digest=digest).exclude(status=Status.FAILED)
    if (seen := known.first()) is not None:
        return seen, False
    if (
        sender_ip
        and PayPalNotification.objects.filter(sender_ip=sender_ip, status=Status.PENDING).count()
        >= settings.PAYPAL_IPN_MAX_PENDING_PER_ADDRESS
    ):
        raise TooManyPending(sender_ip)
    notification = PayPalNotification.objects.create(
        body=body.decode("ascii"),
        body_digest=digest,
        sender_ip=sender_ip,
        txn_id=fields.get("txn_id", "")[:64],
        txn_type=fields.get("txn_type", "")[:64],
        payment_status=fields.get("payment_status", "")[:64],
    )
    return notification, True


def process_notification(
    *,
    notification: PayPalNotification,
    thank: Callable[..., object],
    verify_url: str | None = None,
) -> PayPalNotification.Status:
    """Verify a stored notification with PayPal and record what it says; a new gift is thanked by
    `thank(donation=...)` in the transaction that records it (the task passes
    `tasks.queue_thank_you`: services never import the queue).

    Raises paypal.VerifierUnavailable (after noting the attempt) so the caller can try again later.
    """
    if notification.status != Status.PENDING:
        return notification.status
    if notification.body_digest and (
        PayPalNotification.objects.filter(
            body_digest=notification.body_digest, status=Status.INVALID
        )
        .exclude(pk=notification.pk)
        .exists()
    ):  # PayPal already called this very message forged: asking again costs a verification
        _finish(notification, Status.INVALID, "PayPal did not recognise this message.")
        return notification.status
    notification.attempts += 1
    notification.last_attempt_at = timezone.now()
    try:
        verdict = paypal.verify_notification(
            notification.body, verify_url=verify_url or settings.PAYPAL_IPN_VERIFY_URL
        )
    except paypal.VerifierUnavailable as error:
        notification.detail = str(error)[:300]
        notification.save(update_fields=["attempts", "last_attempt_at", "detail"])
        logger.warning("PayPal IPN %s: verifier unavailable (%s)", notification.pk, error)
        raise
    if verdict is paypal.Verdict.INVALID:
        logger.warning(
            "PayPal IPN %s (txn %s) answered INVALID: ignored", notification.pk, notification.txn_id
        )
        _finish(notification, Status.INVALID, "PayPal did not recognise this message.")
        return notification.status
    fields = paypal.parse_notification(notification.body.encode("ascii"))
    with transaction.atomic():
        status, detail, donation = _apply_verified(fields, thank)
        notification.donation = donation
        _finish(notification, status, detail)
    return status


def next_attempt_at(*, notification: PayPalNotification) -> datetime.datetime | None:
    """When to try verifying again, after a growing pause; None once we have given up (the
    notification is then marked failed)."""
    if notification.attempts >= len(RETRY_DELAYS):
        logger.error(
            "PayPal IPN %s: gave up after %s attempts", notification.pk, notification.attempts
        )
        _finish(notification, Status.FAILED, notification.detail)
        return None
    return timezone.now() + datetime.timedelta(
        seconds=RETRY_DELAYS[max(notification.attempts - 1, 0)]
    )


def _finish(notification: PayPalNotification, status: str, detail: str) -> None:
    notification.status = status
    notification.detail = detail[:300]
    notification.save()


def _apply_verified(
    fields: dict[str, str], thank: Callable[..., object]
) -> tuple[str, str, Donation | None]:
    donation_settings = DonationSettings.current()
    receiver = (
        fields.get("receiver_email", ""),
        fields.get("receiver_id", ""),
        fields.get("business", ""),
    )
    if not donation_settings.is_our_receiver(*receiver):
        logger.warning("PayPal IPN for another receiver %s: ignored", receiver)
        return Status.IGNORED, f"Paid to {receiver[0] or receiver[1]}, not to us.", None
    payment_status = fields.get("payment_status", "")
    if payment_status == "Completed":
        return _record_payment(fields, thank)
    if payment_status in ADJUSTMENT_KINDS:
        return _record_adjustment(fields, ADJUSTMENT_KINDS[payment_status])
    return Status.IGNORED, f"Not a completed payment (status “{payment_status or 'none'}”).", None


def _amount(fields: dict[str, str]) -> Decimal | None:
    try:
        amount = Decimal(fields.get("mc_gross", ""))
    except InvalidOperation:
        return None
    # A gift of a billion or more is not a gift we can store (12 digits): treat it as unreadable.
    return amount if amount.is_finite() and abs(amount) < MAX_AMOUNT else None


def _paid_at(fields: dict[str, str]) -> datetime.datetime:
    """PayPal writes dates like '20:12:59 Jan 13, 2009 PST'."""
    value = fields.get("payment_date", "").strip()
    try:
        stamp, zone = value.rsplit(" ", 1)
        naive = datetime.datetime.strptime(stamp, "%H:%M:%S %b %d, %Y")  # noqa: DTZ007 – zone below
        offset = datetime.timezone(datetime.timedelta(hours=PAYPAL_TIMEZONES[zone]))
    except (ValueError, KeyError):
        return timezone.now()
    return naive.replace(tzinfo=offset)


def _record_payment(
    fields: dict[str, str], thank: Callable[..., object]
) -> tuple[str, str, Donation | None]:
    txn_id = fields.get("txn_id", "")
    amount = _amount(fields)
    if not txn_id or amount is None or amount <= 0:
        return Status.IGNORED, "A completed payment without a transaction id or amount.", None
    received_at = _paid_at(fields)
    donation, created = Donation.objects.get_or_create(
        method=Donation.Method.PAYPAL,
        reference=txn_id[:64],
        defaults={
            "amount": amount,
            "currency": fields.get("mc_currency", "USD")[:3].upper(),
            "kind": Donation.Kind.DONATION,
            "donor_name": " ".join(
                part for part in (fields.get("first_name"), fields.get("last_name")) if part
            )[:200]
            or fields.get("payer_business_name", "")[:200],
            "donor_email": fields.get("payer_email", "")[:254],
            "received_at": received_at,
            "campaign": Campaign.objects.current(on=timezone.localdate(received_at)).first(),
            "recurring": fields.get("txn_type") in RECURRING_TXN_TYPES,
            "note": fields.get("memo", ""),
        },
    )
    if not created:
        return Status.DUPLICATE, f"Transaction {txn_id} was already recorded.", donation
    # A monthly donor is thanked for the first payment, not every month.
    if not (donation.recurring and Donation.objects.recurring_donor_thanked(donation.donor_email)):
        thank(donation=donation)
    return Status.RECORDED, "", donation


def _record_adjustment(fields: dict[str, str], kind: str) -> tuple[str, str, Donation | None]:
    txn_id, parent = fields.get("txn_id", ""), fields.get("parent_txn_id", "")
    amount = _amount(fields)
    original = (
        Donation.objects.filter(method=Donation.Method.PAYPAL, reference=parent).first()
        if parent
        else None
    )
    if original is None or not txn_id or amount is None or amount == 0:
        logger.warning("PayPal %s of unknown transaction %r: ignored", kind, parent)
        return (
            Status.IGNORED,
            f"{kind.title()} of a transaction we have no record of ({parent}).",
            None,
        )
    signed = abs(amount) if kind == Donation.Kind.REVERSAL_CANCELLED else -abs(amount)
    adjustment, created = Donation.objects.get_or_create(
        method=Donation.Method.PAYPAL,
        reference=txn_id[:64],
        defaults={
            "amount": signed,
            "currency": fields.get("mc_currency", original.currency)[:3].upper(),
            "kind": kind,
            "donor_name": original.donor_name,
            "donor_email": original.donor_email,
            "received_at": _paid_at(fields),
            "campaign": original.campaign,
            "recurring": original.recurring,
            "refund_of": original,
            "note": fields.get("reason_code", ""),
        },
    )
    if not created:
        return Status.DUPLICATE, f"Transaction {txn_id} was already recorded.", adjustment
    return Status.RECORDED, "", adjustment


def send_thank_you(*, donation_id: int) -> bool:
    """Send the thank-you mail at most once: the row is claimed before sending, released on failure."""
    claimed = (
        Donation.objects.awaiting_thank_you()
        .filter(pk=donation_id)
        .update(thank_you_sent_at=timezone.now())
    )
    if not claimed:
        return False
    donation = Donation.objects.get(pk=donation_id)
    donation_settings = DonationSettings.current()
    context = {"donation": donation, "settings": donation_settings, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=donation_settings.thank_you_email_subject,
        body=render_to_string("donations/email/thank_you.txt", context),
        from_email=Publication.current().mail_sender(),
        to=[donation.donor_email],
    )
    message.attach_alternative(
        render_to_string("donations/email/thank_you.html", context), "text/html"
    )
    try:
        message.send()
    except Exception:
        Donation.objects.filter(pk=donation_id).update(thank_you_sent_at=None)
        raise
    return True
