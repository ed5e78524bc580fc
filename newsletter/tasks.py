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
    try:
        services.send_notice(subscriber=subscriber, kind=kind)
    except OSError:  # smtplib's errors included: the mail did not go out
        # The hourly allowance was not used up: the reader's next signup attempt mails again.
        services.release_notice_slot(subscriber)
        raise


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
        "deferred": outcome.deferred,
        "skipped": outcome.skipped,
        "finished": outcome.finished,
        "retry": outcome.server_unavailable,
    }


@task
def send_test_issue(*, issue_id: int, email: str) -> None:
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is not None:
        services.send_test_issue(issue=issue, email=email)


# --- Scheduled by the workers themselves (newsletter/schedule.py): no cron.


@task
def send_digest(*, kind: str) -> int | None:
    """Make the daily or weekly digest of what is new and queue it; None when nothing is new."""
    frequency = Issue.Kind.WEEKLY if kind == "weekly" else Issue.Kind.DAILY
    issue = services.create_digest(frequency=frequency)
    if issue is None:
        return None
    services.start_send(issue=issue)
    return issue.pk


@task
def resume_stalled_sends_task() -> list[int]:
    return services.resume_stalled_sends()


@task
def purge_unconfirmed_task() -> int:
    return services.purge_unconfirmed()
