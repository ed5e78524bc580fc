"""PayPal notifications whose verification task was lost are tried again by the schedule."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from donations.models import PayPalNotification
from donations.tasks import retry_stranded_notifications

pytestmark = pytest.mark.django_db


def notification(*, received_hours_ago: float, last_try_hours_ago: float | None, status="pending"):
    row = PayPalNotification.objects.create(body="txn_id=1", status=status)
    now = timezone.now()
    PayPalNotification.objects.filter(pk=row.pk).update(
        received_at=now - datetime.timedelta(hours=received_hours_ago),
        last_attempt_at=(
            None
            if last_try_hours_ago is None
            else now - datetime.timedelta(hours=last_try_hours_ago)
        ),
    )
    return row


def test_only_notifications_waiting_over_an_hour_since_their_last_try_are_queued_again():
    stranded = notification(received_hours_ago=5, last_try_hours_ago=3)
    never_tried = notification(received_hours_ago=2, last_try_hours_ago=None)
    notification(received_hours_ago=5, last_try_hours_ago=0.2)  # its retry is under way
    notification(received_hours_ago=0.1, last_try_hours_ago=None)  # just arrived
    notification(received_hours_ago=5, last_try_hours_ago=3, status="recorded")
    assert retry_stranded_notifications.call() == 2
    queued = {
        result.args_kwargs["kwargs"]["notification_id"]
        for result in DBTaskResult.objects.filter(task_path__endswith="process_paypal_notification")
    }
    assert queued == {stranded.pk, never_tried.pk}
