"""The send engine the worker runs: exactly one copy per subscriber per issue, in batches.

How a send stays exactly-once when workers die, the database drops or the mail server misbehaves:
- `prepare_recipients` inserts one Delivery row per recipient (unique per issue and subscriber),
  in chunks, idempotently. The audience is fixed when the send starts.
- A worker claims a batch of waiting rows in a short transaction (`SELECT … FOR UPDATE SKIP LOCKED`
  on PostgreSQL, so parallel workers never take the same row; SQLite serialises writers), then
  sends the batch over one SMTP connection and marks each row as soon as the server accepts it.
- A claim is a lease (NEWSLETTER_CLAIM_LEASE_SECONDS) that a heartbeat thread renews every
  NEWSLETTER_HEARTBEAT_SECONDS while its worker lives, however slow the server. A killed worker
  stops renewing: its rows become claimable again when the lease runs out, and the scheduled
  `resume_stalled_sends` job hands the send to the remaining workers. Sent rows stay sent. The one
  message in flight at the moment of death may be re-sent (SMTP cannot tell us whether the server
  kept it: RFC 1047); nothing is skipped.
- Just before each copy goes out, its subscriber's status is read again: an unsubscribe that has
  committed is never followed by a copy (only a copy already on the wire can still arrive). The
  read rides with the previous copy's mark in one statement, so it costs no extra round trip.
- SMTP replies are judged per recipient and per stage (we send one recipient per transaction, so
  `sendmail` raises SMTPRecipientsRefused for a refused RCPT and SMTPDataError for a refused
  DATA): a 5xx bounces that address only; a 4xx (greylisting, a full mailbox) defers that copy,
  retried with doubling pauses for NEWSLETTER_RETRY_FOR_SECONDS and then given up with the reason
  recorded; meanwhile the send finishes for everybody else. A 421, a dropped connection or a
  timeout means the server went away: the worker puts its unsent rows back and the task queues
  itself again later. (smtplib's exceptions are OSErrors, so the order of the handlers matters.)
- If the database drops, the send waits for it to come back, records the copies the server
  accepted meanwhile, puts the rest back and carries on.
"""

import contextlib
import dataclasses
import datetime
import logging
import smtplib
import threading
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from background.database import OUTAGE_ERRORS, drop_connection, first_line, wait_for_database
from newsletter.mime import PreparedEmail
from newsletter.models import (
    Delivery,
    Issue,
    Subscriber,
    claim_lease_seconds,
    claimable_conditions,
)
from newsletter.services import RenderedIssue, render_issue
from pagecache.generation import bump_on_commit

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
    deferred: int = 0
    skipped: int = 0
    finished: bool = False
    server_unavailable: bool = False
    error: str = ""
    # The copy the server accepted whose mark has not been committed yet: if the database drops
    # right then, it is recorded as sent once the database is back (not sent twice).
    accepted_unmarked: int | None = None


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
        # Kind by kind (waiting, due retries, lapsed claims): each is a walk of the work-queue
        # index (issue, status, id) from its first copy, where one query over all kinds steps
        # over every copy already sent. (Issue and status are fixed here, so the order is by
        # id; naming the index's columns keeps the planner on it.)
        ids: list[int] = []
        for condition in claimable_conditions(now=now):
            if len(ids) >= size:
                break
            ids += (
                Delivery.objects.filter(condition, issue_id=issue_id)
                .select_for_update(skip_locked=True)
                .order_by("issue_id", "status", "pk")
                .values_list("pk", flat=True)[: size - len(ids)]
            )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.CLAIMED, claimed_by=worker_id, claimed_at=now
        )
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("subscriber")
        .only(
            "pk",
            "attempts",
            "deferred_since",
            "subscriber__email",
            "subscriber__token",
            "subscriber__status",
        )
        .order_by("pk")
    )


class ClaimHeartbeat:
    """Renews a worker's claims on an issue's copies (and the issue's progress time) every
    NEWSLETTER_HEARTBEAT_SECONDS while the send runs, so a live claim never lapses however slow
    the mail server, and a dead worker's lapses after NEWSLETTER_CLAIM_LEASE_SECONDS.

    On PostgreSQL a thread does it (with its own connection), so a long SMTP wait does not stop
    it; SQLite allows one writer, so there the send loop calls `beat_if_due()` between copies."""

    def __init__(self, issue_id: int, *, worker_id: str):
        self.issue_id = issue_id
        self.worker_id = worker_id
        self.interval = float(settings.NEWSLETTER_HEARTBEAT_SECONDS)
        self.threaded = connection.vendor == "postgresql"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last = time.monotonic()

    def __enter__(self) -> "ClaimHeartbeat":
        if self.threaded:
            self._thread = threading.Thread(
                target=self._run, name=f"claims-{self.worker_id[:8]}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 10)

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except DatabaseError as error:
                    # The send itself notices the outage; keep trying until it ends.
                    logger.warning("claim heartbeat failed: %s", first_line(error))
                    drop_connection()
        finally:
            drop_connection()

    def beat_if_due(self) -> None:
        if not self.threaded and time.monotonic() - self._last >= self.interval:
            self.beat()

    def beat(self) -> None:
        now = timezone.now()
        Delivery.objects.filter(
            issue_id=self.issue_id, status=Delivery.Status.CLAIMED, claimed_by=self.worker_id
        ).update(claimed_at=now)
        Issue.objects.filter(pk=self.issue_id).update(last_progress_at=now)
        self._last = time.monotonic()


def _release(deliveries: list[Delivery], worker_id: str) -> None:
    Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries], status=Delivery.Status.CLAIMED, claimed_by=worker_id
    ).update(status=Delivery.Status.PENDING, claimed_by="", claimed_at=None)


_MARK_SENT_SQL = (
    "UPDATE {delivery} SET status = %s, sent_at = %s, attempts = attempts + 1, error = '', "
    "claimed_by = '', retry_at = NULL WHERE id = %s AND claimed_by = %s"
)
_STATUS_NOW_SQL = (
    "SELECT s.status FROM {subscriber} s JOIN {delivery} d ON d.subscriber_id = s.id "
    "WHERE d.id = %s AND d.claimed_by = %s"
)
NOT_READ = "?"  # the next copy's status still has to be read


def _tables() -> dict[str, str]:
    return {"delivery": Delivery._meta.db_table, "subscriber": Subscriber._meta.db_table}


def _status_now(delivery_id: int, worker_id: str) -> str | None:
    """The copy's subscriber's status this moment, or None if this worker no longer holds it."""
    with connection.cursor() as cursor:
        cursor.execute(_STATUS_NOW_SQL.format(**_tables()), [delivery_id, worker_id])
        row = cursor.fetchone()
    return row[0] if row else None


def _mark_sent(delivery_id: int, worker_id: str, *, next_id: int | None = None) -> str | None:
    """The hot path, once per message: mark the copy sent and, in the same round trip (one
    statement on PostgreSQL), read the status of the next copy's subscriber, which goes out right
    after. Returns that status (None: not ours any more; NOT_READ without a next copy)."""
    mark = [Delivery.Status.SENT, timezone.now(), delivery_id, worker_id]
    with connection.cursor() as cursor:
        if next_id is None:
            cursor.execute(_MARK_SENT_SQL.format(**_tables()), mark)
            return NOT_READ
        if connection.vendor == "postgresql":
            sql = f"WITH marked AS ({_MARK_SENT_SQL}) {_STATUS_NOW_SQL}".format(**_tables())
            cursor.execute(sql, [*mark, next_id, worker_id])
        else:  # SQLite has no UPDATE inside WITH
            cursor.execute(_MARK_SENT_SQL.format(**_tables()), mark)
            cursor.execute(_STATUS_NOW_SQL.format(**_tables()), [next_id, worker_id])
        row = cursor.fetchone()
    return row[0] if row else None


def _mark(delivery: Delivery, worker_id: str, status: str, error: str = "") -> None:
    Delivery.objects.filter(pk=delivery.pk, claimed_by=worker_id).update(
        status=status,
        sent_at=None,
        attempts=F("attempts") + 1,
        error=error[:500],
        claimed_by="",
        retry_at=None,
    )


def _bounce(delivery: Delivery, worker_id: str, reason: str) -> None:
    _mark(delivery, worker_id, Delivery.Status.BOUNCED, reason)
    Subscriber.objects.filter(pk=delivery.subscriber_id, status=Subscriber.Status.CONFIRMED).update(
        status=Subscriber.Status.BOUNCED, bounced_at=timezone.now(), bounce_reason=reason[:500]
    )


def retry_pause(attempts: int) -> datetime.timedelta:
    """The pause after the `attempts`-th temporary refusal: doubling, capped."""
    first = float(settings.NEWSLETTER_RETRY_FIRST_PAUSE_SECONDS)
    longest = float(settings.NEWSLETTER_RETRY_MAX_PAUSE_SECONDS)
    return datetime.timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), longest))


def _defer(delivery: Delivery, worker_id: str, reason: str) -> bool:
    """A temporary refusal: try again later, or give up once the retry window has passed.
    Returns True if the copy will be retried."""
    now = timezone.now()
    since = delivery.deferred_since or now
    give_up_at = since + datetime.timedelta(seconds=float(settings.NEWSLETTER_RETRY_FOR_SECONDS))
    attempts = delivery.attempts + 1
    if now >= give_up_at:
        hours = (now - since).total_seconds() / 3600
        _mark(
            delivery,
            worker_id,
            Delivery.Status.FAILED,
            f"Gave up after {attempts} attempts over {hours:.1f} h; last reply: {reason}",
        )
        return False
    Delivery.objects.filter(pk=delivery.pk, claimed_by=worker_id).update(
        status=Delivery.Status.DEFERRED,
        attempts=F("attempts") + 1,
        error=reason[:500],
        claimed_by="",
        deferred_since=since,
        retry_at=min(now + retry_pause(attempts), give_up_at),
    )
    return True


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What became of one copy: "sent", "bounced", "deferred" or "failed", and why."""

    result: str
    reason: str = ""


def judge_reply(stage: str, code: int, reply) -> Verdict:
    """One recipient's refusal at RCPT or DATA. Raises MailServerUnavailable for a 421 (the
    server is closing the connection: not this recipient's fault)."""
    reason = f"{stage} {code} {_text(reply)}".strip()
    if code == SERVICE_CLOSING:
        raise MailServerUnavailable(reason)
    if 500 <= code < 600:
        return Verdict("bounced", reason)
    if 400 <= code < 500:
        return Verdict("deferred", reason)
    return Verdict("failed", reason)  # a reply no RFC defines at this stage


def deliver(send_one: Callable[[EmailMessage], dict], message: EmailMessage) -> Verdict:
    """Hand one message to the server and judge the answer for its (single) recipient.

    smtplib's exceptions are OSErrors: the per-recipient ones are caught before the generic
    network errors, which mean the server went away (MailServerUnavailable)."""
    try:
        refused = send_one(message)
    except smtplib.SMTPRecipientsRefused as error:
        code, reply = next(iter(error.recipients.values()), (0, b""))
        return judge_reply("RCPT", code, reply)
    except smtplib.SMTPDataError as error:
        return judge_reply("DATA", error.smtp_code, error.smtp_error)
    except smtplib.SMTPSenderRefused as error:
        # MAIL FROM refused: about our sender address or the server's state, never this reader.
        raise MailServerUnavailable(_describe(error)) from error
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException) as error:
        raise MailServerUnavailable(_describe(error)) from error
    except (smtplib.SMTPException, ValueError) as error:
        # This message only (an address the server or the mail library cannot take: SMTPUTF8).
        return Verdict("failed", _describe(error))
    except OSError as error:  # refused connection, reset, timeout
        raise MailServerUnavailable(_describe(error)) from error
    if refused:  # several recipients and only some refused (not how issues go out; kept whole)
        code, reply = next(iter(refused.values()))
        return judge_reply("RCPT", code, reply)
    return Verdict("sent")


def send_batch(
    rendered: RenderedIssue,
    deliveries: list[Delivery],
    *,
    worker_id: str,
    outcome: SendOutcome,
    heartbeat: ClaimHeartbeat | None = None,
) -> None:
    """Send claimed copies over one SMTP connection. Raises MailServerUnavailable (after putting
    the unsent copies back) when the server cannot be reached or goes away."""
    if not deliveries:
        return
    mailer = mailers["default"]
    try:
        mailer.open()
    except OSError as error:  # smtplib.SMTPException included
        _release(deliveries, worker_id)
        raise MailServerUnavailable(_describe(error)) from error
    send_one = _sender_for(mailer)
    status = NOT_READ
    try:
        for index, delivery in enumerate(deliveries):
            if heartbeat is not None:
                heartbeat.beat_if_due()
            if status == NOT_READ:
                status = _status_now(delivery.pk, worker_id)
            next_id = deliveries[index + 1].pk if index + 1 < len(deliveries) else None
            try:
                status = _send_one_copy(
                    rendered,
                    delivery,
                    send_one,
                    status=status,
                    next_id=next_id,
                    worker_id=worker_id,
                    outcome=outcome,
                )
            except MailServerUnavailable:
                _release(deliveries[index:], worker_id)
                raise
    finally:
        with contextlib.suppress(OSError):
            mailer.close()


def _send_one_copy(
    rendered: RenderedIssue,
    delivery: Delivery,
    send_one: Callable[[EmailMessage], dict],
    *,
    status: str | None,
    next_id: int | None,
    worker_id: str,
    outcome: SendOutcome,
) -> str | None:
    """Send one copy whose subscriber's status was read just now; returns the next copy's status
    when it could be read on the way (else NOT_READ)."""
    if status is None:
        return NOT_READ  # our claim lapsed and another worker holds this copy now
    if status != Subscriber.Status.CONFIRMED:
        # Unsubscribed (or bounced) since the send started: respected up to the last moment.
        Delivery.objects.filter(pk=delivery.pk, claimed_by=worker_id).update(
            status=Delivery.Status.SKIPPED, claimed_by=""
        )
        outcome.skipped += 1
        return NOT_READ
    subscriber = delivery.subscriber
    message = rendered.message_for(email=subscriber.email, token_hex=subscriber.token.hex)
    verdict = deliver(send_one, message)
    if verdict.result == "sent":
        outcome.accepted_unmarked = delivery.pk
        following = _mark_sent(delivery.pk, worker_id, next_id=next_id)
        outcome.accepted_unmarked = None
        outcome.sent += 1
        return following
    if verdict.result == "bounced":
        _bounce(delivery, worker_id, verdict.reason)
        outcome.bounced += 1
    elif verdict.result == "deferred":
        if _defer(delivery, worker_id, verdict.reason):
            outcome.deferred += 1
        else:
            outcome.failed += 1
    else:
        _mark(delivery, worker_id, Delivery.Status.FAILED, verdict.reason)
        outcome.failed += 1
    return NOT_READ


def _sender_for(mailer) -> Callable[[EmailMessage], dict]:
    """How to hand one message to the open connection; returns the refused recipients (smtplib's
    `sendmail` contract). For SMTP and a message assembled ahead (plain ASCII addresses, checked
    when it was built), straight to the connection: what Django's backend would do, without
    re-parsing the same sender address for every copy."""
    if not isinstance(mailer, SMTPBackend):
        return lambda message: mailer.send_messages([message]) and {}
    sender = mailer.prep_address(settings.DEFAULT_FROM_EMAIL)

    def send(message: EmailMessage) -> dict:
        if isinstance(message, PreparedEmail):
            return mailer.connection.sendmail(sender, message.to, message.message().as_bytes())
        if mailer.connection is None:
            raise smtplib.SMTPServerDisconnected("the connection was closed")
        mailer.send_messages([message])
        return {}

    return send


def finish_if_done(issue_id: int) -> bool:
    """Mark the issue sent once its list is prepared and no copy waits or is held. Deferred copies
    (temporary refusals) do not hold it: they are retried on their own schedule afterwards."""
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
        bump_on_commit()
    return finished


def run_send(
    issue_id: int, *, worker_id: str | None = None, max_batches: int | None = None
) -> SendOutcome:
    """Prepare (if nobody has) and send an issue's waiting copies until none is left, including
    deferred copies whose retry time has come (also after the issue is marked sent).

    Safe to run in several workers at once and to run again after a crash. Rides out a database
    outage of up to NEWSLETTER_DATABASE_WAIT_SECONDS."""
    worker_id = worker_id or uuid.uuid4().hex
    outcome = SendOutcome()
    while True:
        try:
            _run_send_once(issue_id, worker_id=worker_id, max_batches=max_batches, outcome=outcome)
            return outcome
        except OUTAGE_ERRORS as error:
            if connection.in_atomic_block:
                raise  # the caller's transaction is lost; only it can start again
            logger.warning(
                "Issue %s: database unavailable during the send (%s); waiting for it",
                issue_id,
                first_line(error),
            )
            wait_for_database(timeout=float(settings.NEWSLETTER_DATABASE_WAIT_SECONDS))
            _settle_after_outage(issue_id, worker_id=worker_id, outcome=outcome)


def _run_send_once(
    issue_id: int, *, worker_id: str, max_batches: int | None, outcome: SendOutcome
) -> None:
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None or issue.status == Issue.Status.DRAFT:
        return
    if issue.status == Issue.Status.SENT:
        outcome.finished = True
        if not Delivery.objects.filter(issue_id=issue_id).claimable().exists():
            return  # nothing deferred is due
    with _relaxed_commit_durability(), ClaimHeartbeat(issue_id, worker_id=worker_id) as heartbeat:
        prepare_recipients(issue, worker_id=worker_id)
        rendered = render_issue(issue)
        _send_until_done(
            issue,
            rendered,
            worker_id=worker_id,
            max_batches=max_batches,
            outcome=outcome,
            heartbeat=heartbeat,
        )


def _settle_after_outage(issue_id: int, *, worker_id: str, outcome: SendOutcome) -> None:
    """After the database came back: record the copy the server accepted while the database was
    away, and put every other copy this worker held back in the queue."""
    if outcome.accepted_unmarked is not None:
        _mark_sent(outcome.accepted_unmarked, worker_id)
        outcome.sent += 1
        outcome.accepted_unmarked = None
    Delivery.objects.filter(
        issue_id=issue_id, status=Delivery.Status.CLAIMED, claimed_by=worker_id
    ).update(status=Delivery.Status.PENDING, claimed_by="", claimed_at=None)


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
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError as error:
            # The connection died: whatever ended the block is the error to report, not this.
            # A new connection starts with the server's default, so dropping this one is a reset.
            logger.warning("could not reset synchronous_commit (%s)", first_line(error))
            if not connection.in_atomic_block:
                drop_connection()


def _send_until_done(
    issue: Issue,
    rendered: RenderedIssue,
    *,
    worker_id: str,
    max_batches: int | None,
    outcome: SendOutcome,
    heartbeat: ClaimHeartbeat | None = None,
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
            send_batch(
                rendered, deliveries, worker_id=worker_id, outcome=outcome, heartbeat=heartbeat
            )
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
    outcome.finished = finish_if_done(issue_id) or outcome.finished
