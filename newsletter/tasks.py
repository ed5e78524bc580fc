"""Background work, run by `python manage.py db_worker` (never inside a web request)."""

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from newsletter import sending, services
from newsletter.models import Issue, Subscriber

logger = logging.getLogger(__name__)


@task
def send_subscriber_notice(*, subscriber_id: int, kind: str) -> None:
    """The confirmation mail ("confirm") or the "already subscribed" reminder ("already")."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return
    services.send_notice(subscriber=subscriber, kind=kind)


@task
def send_issue(*, issue_id: int) -> dict:
    """Send an issue's waiting copies. Several of these may run at once, on several workers."""
    outcome = sending.run_send(issue_id)
    if outcome.server_unavailable:
        delay = int(settings.NEWSLETTER_RETRY_DELAY_SECONDS)
        send_issue.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
            issue_id=issue_id
        )
    return {
        "sent": outcome.sent,
        "failed": outcome.failed,
        "bounced": outcome.bounced,
        "skipped": outcome.skipped,
        "finished": outcome.finished,
        "retry": outcome.server_unavailable,
    }


@task
def send_test_issue(*, issue_id: int, email: str) -> None:
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is not None:
        services.send_test_issue(issue=issue, email=email)
