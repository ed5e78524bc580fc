from django.core.management.base import BaseCommand

from donations.models import PayPalNotification
from donations.tasks import process_paypal_notification


class Command(BaseCommand):
    help = "Queue another verification of PayPal notifications still waiting (e.g. after a long outage)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--include-failed", action="store_true", help="Also retry the ones we gave up on."
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, include_failed: bool = False, dry_run: bool = False, **options) -> None:
        statuses = [PayPalNotification.Status.PENDING]
        if include_failed:
            statuses.append(PayPalNotification.Status.FAILED)
        waiting = PayPalNotification.objects.filter(status__in=statuses).order_by("received_at")
        count = 0
        for notification in waiting:
            count += 1
            if dry_run:
                continue
            if notification.status == PayPalNotification.Status.FAILED:
                notification.status = PayPalNotification.Status.PENDING
                notification.attempts = 0
                notification.save(update_fields=["status", "attempts"])
            process_paypal_notification.enqueue(notification_id=notification.pk)
        verb = "would be queued" if dry_run else "queued"
        self.stdout.write(f"{count} notification(s) {verb} for verification.")
