"""Background work, run by `python manage.py db_worker` (never inside a web request), and the
functions that queue it for views, the admin and commands.

Tasks call `newsletter.services`; services never import this module, so no cycle runs through it."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
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


# --- Queueing: each queues its task in the transaction that records why (the queue lives in the
# same database, so the task is written, and runs, only if the change commits).


def request_subscription(**signup: str | None) -> Subscriber:
    """Record a signup and queue the one mail it warrants (at most one per address per hour).

    `signup`: the keyword arguments of `services.record_signup` (email, name, frequency, source, ip).
    The caller answers the same way whatever happens here, so a stranger cannot learn whether an
    address was already on the list."""
    # One transaction: the signup, its hourly allowance and its queued mail are kept or lost
    # together (a connection lost halfway leaves nothing that blocks a retry).
    with transaction.atomic():
        subscriber, notice = services.record_signup(**signup)
        if notice is not None:
            send_subscriber_notice.enqueue(subscriber_id=subscriber.pk, kind=notice)
    return subscriber


def start_send(*, issue: Issue, tasks: int | None = None) -> bool:
    """Queue the real send of `issue` to its audience; the worker(s) do the rest.

    `tasks` copies of the send task are queued so that as many `db_worker` processes can share the
    work (each claims its own batches). Returns False if the issue was not a draft."""
    tasks = tasks or int(settings.NEWSLETTER_PARALLEL_SENDS)
    now = timezone.now()
    with transaction.atomic():
        started = Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).update(
            status=Issue.Status.QUEUED, queued_at=now, last_progress_at=now, last_error=""
        )
        if started:
            for _ in range(tasks):
                send_issue.enqueue(issue_id=issue.pk)
    issue.refresh_from_db()
    return bool(started)


def resume_stalled_sends(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue a send task again for every issue nobody works on although copies wait (its workers
    were killed, the queue lost the task, or a deferred copy's retry time has come).

    Their claimed copies are reclaimable once the lease has run out; sent copies stay sent.
    Each issue's progress time is moved on with the task, so the next check leaves it alone."""
    now = now or timezone.now()
    resumed = []
    for issue_id in Issue.objects.stalled(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            if Issue.objects.stalled(now=now).filter(pk=issue_id).update(last_progress_at=now):
                send_issue.enqueue(issue_id=issue_id)
                resumed.append(issue_id)
    return resumed


# --- Scheduled by the workers themselves (newsletter/schedule.py): no cron.


@task
def send_digest(*, kind: str) -> int | None:
    """Make the daily or weekly digest of what is new and queue it; None when nothing is new."""
    frequency = Issue.Kind.WEEKLY if kind == "weekly" else Issue.Kind.DAILY
    issue = services.create_digest(frequency=frequency)
    if issue is None:
        return None
    start_send(issue=issue)
    return issue.pk


@task
def resume_stalled_sends_task() -> list[int]:
    return resume_stalled_sends()


@task
def purge_unconfirmed_task() -> int:
    return services.purge_unconfirmed()
