"""The send engine the worker runs: exactly one copy per subscriber per issue, in batches.

How a send stays exactly-once when workers die or the mail server goes away:
- `prepare_recipients` inserts one Delivery row per recipient (unique per issue and subscriber),
  in chunks, idempotently. The audience is fixed when the send starts.
- A worker claims a batch of waiting rows in a short transaction (`SELECT … FOR UPDATE SKIP LOCKED`
  on PostgreSQL, so parallel workers never take the same row; SQLite serialises writers), then
  sends the batch over one SMTP connection and marks each row as soon as the server accepts it.
- A claim is a lease. If its worker dies, the rows it held become claimable again once the lease
  runs out, and only those: sent rows stay sent. The one message in flight at the moment of death
  may be re-sent (SMTP cannot tell us whether the server kept it: RFC 1047); nothing is skipped.
- If the server goes away, the worker puts its unsent rows back and the task queues itself again
  later. A 5xx refusal of one recipient marks that subscriber bounced; other per-address
  errors are recorded on the row; neither stops the batch.
"""

import contextlib
import dataclasses
import datetime
import logging
import smtplib
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from config import page_cache
from newsletter.mime import PreparedEmail
from newsletter.models import Delivery, Issue, Subscriber, claim_lease_seconds
from newsletter.services import RenderedIssue, render_issue

logger = logging.getLogger(__name__)

PREPARE_CHUNK = 5000
SERVICE_CLOSING = 421  # the server is going away: not this recipient's fault


def batch_size() -> int:
    return int(settings.NEWSLETTER_BATCH_SIZE)


class MailServerUnavailable(Exception):
    """The SMTP server could not be reached or dropped the connection: retry the send later."""


@dataclasses.dataclass
class SendOutcome:
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    skipped: int = 0
    finished: bool = False
    server_unavailable: bool = False
    error: str = ""


def prepare_recipients(issue: Issue, *, worker_id: str) -> None:
    """Create the issue's Delivery rows, once, for every subscriber in its audience."""
    cutoff = timezone.now() - datetime.timedelta(seconds=claim_lease_seconds())
    won = (
        Issue.objects.filter(pk=issue.pk, recipients_prepared=False)
        .filter(
            Q(last_progress_at__isnull=True)
            | Q(last_progress_at__lt=cutoff)
            | Q(status=Issue.Status.QUEUED)
        )
        .update(status=Issue.Status.SENDING, last_progress_at=timezone.now())
    )
    if not won:
        return  # another worker is preparing (or has prepared) the list
    recipients = Subscriber.objects.for_audience(issue.audience).order_by("pk")
    last_pk = 0
    while True:
        chunk = list(recipients.filter(pk__gt=last_pk).values_list("pk", flat=True)[:PREPARE_CHUNK])
        if not chunk:
            break
        Delivery.objects.bulk_create(
            [Delivery(issue_id=issue.pk, subscriber_id=pk) for pk in chunk],
            ignore_conflicts=True,
        )
        last_pk = chunk[-1]
        Issue.objects.filter(pk=issue.pk).update(last_progress_at=timezone.now())
    Issue.objects.filter(pk=issue.pk).update(
        recipients_prepared=True,
        recipient_count=Delivery.objects.filter(issue_id=issue.pk).count(),
        last_progress_at=timezone.now(),
    )
    logger.info("Issue %s: recipients prepared by %s", issue.pk, worker_id)


def claim_batch(issue_id: int, *, worker_id: str, size: int) -> list[Delivery]:
    """Take up to `size` copies no live worker holds; returns them with their subscriber."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(issue_id=issue_id)
            .claimable(now=now)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.CLAIMED, claimed_by=worker_id, claimed_at=now
        )
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("subscriber")
        .only("pk", "subscriber__email", "subscriber__token", "subscriber__status")
        .order_by("pk")
    )


def _release(deliveries: list[Delivery], worker_id: str) -> None:
    Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries], status=Delivery.Status.CLAIMED, claimed_by=worker_id
    ).update(status=Delivery.Status.PENDING, claimed_by="", claimed_at=None)


def _mark_sent(delivery: Delivery, worker_id: str) -> None:
    """The hot path, once per message: plain SQL, one round trip, its own (async) commit."""
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, attempts = attempts + 1, "
            "error = '', claimed_by = '' WHERE id = %s AND claimed_by = %s",
            [Delivery.Status.SENT, timezone.now(), delivery.pk, worker_id],
        )


def _mark(delivery: Delivery, worker_id: str, status: str, error: str = "") -> None:
    Delivery.objects.filter(pk=delivery.pk, claimed_by=worker_id).update(
        status=status,
        sent_at=timezone.now() if status == Delivery.Status.SENT else None,
        attempts=F("attempts") + 1,
        error=error[:500],
        claimed_by="",
    )


def _bounce(delivery: Delivery, worker_id: str, reason: str) -> None:
    _mark(delivery, worker_id, Delivery.Status.BOUNCED, reason)
    Subscriber.objects.filter(pk=delivery.subscriber_id, status=Subscriber.Status.CONFIRMED).update(
        status=Subscriber.Status.BOUNCED, bounced_at=timezone.now(), bounce_reason=reason[:500]
    )


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def send_batch(
    rendered: RenderedIssue, deliveries: list[Delivery], *, worker_id: str, outcome: SendOutcome
) -> None:
    """Send claimed copies over one SMTP connection. Raises MailServerUnavailable (after putting
    the unsent copies back) when the server cannot be reached or goes away."""
    # Unsubscribed (or bounced) since the send started: respected for the remainder.
    gone = [d for d in deliveries if d.subscriber.status != Subscriber.Status.CONFIRMED]
    if gone:
        Delivery.objects.filter(pk__in=[d.pk for d in gone], claimed_by=worker_id).update(
            status=Delivery.Status.SKIPPED, claimed_by=""
        )
        outcome.skipped += len(gone)
    todo = [d for d in deliveries if d.subscriber.status == Subscriber.Status.CONFIRMED]
    if not todo:
        return
    lease = claim_lease_seconds()
    renewed = time.monotonic()
    mailer = mailers["default"]
    try:
        mailer.open()
    except (OSError, smtplib.SMTPException) as error:
        _release(todo, worker_id)
        raise MailServerUnavailable(_describe(error)) from error
    send_one = _sender_for(mailer)
    try:
        for index, delivery in enumerate(todo):
            if time.monotonic() - renewed > lease / 3:
                # A slow server must not let the lease lapse while we still hold the rows.
                Delivery.objects.filter(
                    pk__in=[d.pk for d in todo[index:]], claimed_by=worker_id
                ).update(claimed_at=timezone.now())
                renewed = time.monotonic()
            subscriber = delivery.subscriber
            message = rendered.message_for(email=subscriber.email, token_hex=subscriber.token.hex)
            try:
                send_one(message)
            except smtplib.SMTPRecipientsRefused as error:
                code, reply = next(iter(error.recipients.values()), (0, b""))
                reason = f"{code} {_text(reply)}"
                if code == SERVICE_CLOSING:
                    _release(todo[index:], worker_id)
                    raise MailServerUnavailable(reason) from error
                if 500 <= code < 600:
                    _bounce(delivery, worker_id, reason)
                    outcome.bounced += 1
                else:
                    _mark(delivery, worker_id, Delivery.Status.FAILED, reason)
                    outcome.failed += 1
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPSenderRefused, OSError) as error:
                _release(todo[index:], worker_id)
                raise MailServerUnavailable(_describe(error)) from error
            except smtplib.SMTPResponseException as error:
                if error.smtp_code == SERVICE_CLOSING:
                    _release(todo[index:], worker_id)
                    raise MailServerUnavailable(_describe(error)) from error
                # This message only (e.g. content refused): record it and go on.
                _mark(delivery, worker_id, Delivery.Status.FAILED, _describe(error))
                outcome.failed += 1
            except (smtplib.SMTPException, ValueError) as error:
                # This message only (e.g. an address the mail library cannot encode).
                _mark(delivery, worker_id, Delivery.Status.FAILED, _describe(error))
                outcome.failed += 1
            else:
                _mark_sent(delivery, worker_id)
                outcome.sent += 1
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            mailer.close()


def _sender_for(mailer) -> Callable[[EmailMessage], None]:
    """How to hand one message to the open connection. For SMTP and a message assembled ahead
    (plain ASCII addresses, checked when it was built), straight to the connection: what
    Django's backend would do, without re-parsing the same sender address for every copy."""
    if not isinstance(mailer, SMTPBackend):
        return lambda message: mailer.send_messages([message])
    sender = mailer.prep_address(settings.DEFAULT_FROM_EMAIL)

    def send(message: EmailMessage) -> None:
        if isinstance(message, PreparedEmail):
            mailer.connection.sendmail(sender, message.to, message.message().as_bytes())
        else:
            mailer.send_messages([message])

    return send


def finish_if_done(issue_id: int) -> bool:
    """Mark the issue sent once its list is prepared and no copy waits or is held."""
    outstanding = Delivery.objects.filter(
        issue_id=issue_id, status__in=[Delivery.Status.PENDING, Delivery.Status.CLAIMED]
    ).exists()
    if outstanding:
        return False
    finished = bool(
        Issue.objects.filter(
            pk=issue_id, recipients_prepared=True, status=Issue.Status.SENDING
        ).update(status=Issue.Status.SENT, sent_at=timezone.now(), last_error="")
    )
    if finished:
        # The archive (cached for anonymous readers) now lists this issue.
        page_cache.bump_generation_on_commit()
    return finished


def run_send(
    issue_id: int, *, worker_id: str | None = None, max_batches: int | None = None
) -> SendOutcome:
    """Prepare (if nobody has) and send an issue's waiting copies until none is left.

    Safe to run in several workers at once and to run again after a crash."""
    worker_id = worker_id or uuid.uuid4().hex
    outcome = SendOutcome()
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None or issue.status in {Issue.Status.DRAFT, Issue.Status.SENT}:
        outcome.finished = issue is not None and issue.status == Issue.Status.SENT
        return outcome
    with _relaxed_commit_durability():
        prepare_recipients(issue, worker_id=worker_id)
        rendered = render_issue(issue)
        _send_until_done(
            issue, rendered, worker_id=worker_id, max_batches=max_batches, outcome=outcome
        )
    return outcome


@contextlib.contextmanager
def _relaxed_commit_durability():
    """Each accepted message is marked in its own commit, so a killed worker loses at most the
    one in flight. On PostgreSQL those commits need not wait for the disk (synchronous_commit
    off): they are visible to other workers at once and only a crash of the database server
    itself could forget the last fraction of a second of marks. Without this, every message
    waits for an fsync."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _send_until_done(
    issue: Issue,
    rendered: RenderedIssue,
    *,
    worker_id: str,
    max_batches: int | None,
    outcome: SendOutcome,
) -> None:
    issue_id = issue.pk
    batches = 0
    while max_batches is None or batches < max_batches:
        deliveries = claim_batch(issue_id, worker_id=worker_id, size=batch_size())
        if not deliveries:
            prepared = Issue.objects.filter(pk=issue_id, recipients_prepared=True).exists()
            if prepared:
                break
            # Another worker is still writing the list: help once rows appear, or take over
            # the preparation if that worker died.
            time.sleep(0.2)
            prepare_recipients(issue, worker_id=worker_id)
            continue
        batches += 1
        try:
            send_batch(rendered, deliveries, worker_id=worker_id, outcome=outcome)
        except MailServerUnavailable as error:
            outcome.server_unavailable = True
            outcome.error = str(error)
            Issue.objects.filter(pk=issue_id).update(
                last_error=f"Mail server unavailable, will retry: {error}"[:500],
                last_progress_at=timezone.now(),
            )
            logger.warning("Issue %s: mail server unavailable (%s)", issue_id, error)
            return
        Issue.objects.filter(pk=issue_id).update(last_progress_at=timezone.now())
    outcome.finished = finish_if_done(issue_id)
