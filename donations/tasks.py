"""Background work, run by `manage.py db_worker`, and the functions that queue it for the IPN view
and the admin.

Tasks call `donations.services`; services never import this module, so no cycle runs through it."""

import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from donations import paypal, services
from donations.models import Donation, PayPalNotification


@task
def process_paypal_notification(notification_id: int) -> str:
    """Verify one stored IPN message with PayPal and record it; retry later if PayPal is unreachable."""
    notification = PayPalNotification.objects.filter(pk=notification_id).first()
    if notification is None:
        return "missing"
    try:
        return services.process_notification(notification=notification, thank=queue_thank_you)
    except paypal.VerifierUnavailable:
        run_after = services.next_attempt_at(notification=notification)
        if run_after is not None:
            process_paypal_notification.using(run_after=run_after).enqueue(
                notification_id=notification_id
            )
        return notification.status


@task
def send_donation_thank_you(donation_id: int) -> bool:
    return services.send_thank_you(donation_id=donation_id)


def receive_notification(*, body: bytes, sender_ip: str | None = None) -> PayPalNotification:
    """Store an IPN message and queue its verification; raises what `services.store_notification`
    raises (a malformed message, too many waiting from one address).

    Storing first and verifying in the background lets the endpoint answer PayPal at once and keeps
    the message even when the verification server is down. A message received before is answered
    without storing or verifying it again."""
    with transaction.atomic():
        notification, new = services.store_notification(body=body, sender_ip=sender_ip)
        if new:
            process_paypal_notification.enqueue(notification_id=notification.pk)
    return notification


def queue_thank_you(*, donation: Donation) -> bool:
    """Queue the thank-you mail if this gift has an email address and has not been thanked."""
    if (
        donation.kind != Donation.Kind.DONATION
        or not donation.donor_email
        or donation.thank_you_sent
    ):
        return False
    send_donation_thank_you.enqueue(donation_id=donation.pk)
    return True


STRANDED_AFTER = datetime.timedelta(hours=1)


@task
def retry_stranded_notifications() -> int:
    """Queue verification again for notifications still waiting an hour after their last try
    (their retry task was lost); run hourly by the workers' schedule."""
    cutoff = timezone.now() - STRANDED_AFTER
    stranded = PayPalNotification.objects.filter(
        status=PayPalNotification.Status.PENDING, received_at__lt=cutoff
    ).exclude(last_attempt_at__gte=cutoff)
    count = 0
    for notification_id in stranded.values_list("pk", flat=True):
        process_paypal_notification.enqueue(notification_id=notification_id)
        count += 1
    return count
