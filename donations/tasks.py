"""Background work, run by `manage.py db_worker`."""

import datetime

from django.tasks import task
from django.utils import timezone

from donations import paypal, services
from donations.models import PayPalNotification


@task
def process_paypal_notification(notification_id: int) -> str:
    """Verify one stored IPN message with PayPal and record it; retry later if PayPal is unreachable."""
    notification = PayPalNotification.objects.filter(pk=notification_id).first()
    if notification is None:
        return "missing"
    try:
        return services.process_notification(notification=notification)
    except paypal.VerifierUnavailable:
        services.retry_later(notification=notification)
        return notification.status


@task
def send_donation_thank_you(donation_id: int) -> bool:
    return services.send_thank_you(donation_id=donation_id)


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
