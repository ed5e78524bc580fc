"""Background work, run by `manage.py db_worker`."""

from django.tasks import task

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
