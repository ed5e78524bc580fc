"""Fault injection against a real SMTP server (aiosmtpd): one address greylisted, one refused at
DATA, one bounced at RCPT, a server that slows down and then disappears, and a reader who
unsubscribes while the send runs. Every other reader gets exactly one copy."""

import asyncio
import collections
import datetime
import email
import email.policy
import threading
import time
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.db.models import F
from django.test import Client
from django.utils import timezone

from newsletter import sending, tasks
from newsletter.models import Delivery, Issue, IssueArticle, Subscriber
from tests.factories import ArticleFactory
from tests.newsletter.conftest import free_port, run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

GREYLISTED = "grey@example.com"
REFUSED_AT_DATA = "spamtrap@example.com"
TEMPORARY_AT_DATA = "busy@example.com"
BOUNCED_AT_RCPT = "nobody@example.com"
UNSUBSCRIBER = "leaving@example.com"


@dataclass
class UnrulyHandler:
    """An SMTP server that misbehaves the way real ones do."""

    greylisted: set = field(default_factory=set)  # 451 to an address's first RCPT
    refuse_at_data: dict = field(default_factory=dict)  # address -> reply to its DATA
    temporary_at_data: set = field(default_factory=set)  # 451 to an address's first DATA
    refuse_at_rcpt: dict = field(default_factory=dict)  # address -> reply to every RCPT
    hooks: dict = field(default_factory=dict)  # DATA number -> async callable(server)
    messages: list = field(default_factory=list)
    rcpt_seen: collections.Counter = field(default_factory=collections.Counter)
    data_seen: collections.Counter = field(default_factory=collections.Counter)
    data_commands: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_seen[address] += 1
        if address in self.refuse_at_rcpt:
            return self.refuse_at_rcpt[address]
        if address in self.greylisted and self.rcpt_seen[address] == 1:
            return "451 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        hook = self.hooks.pop(self.data_commands, None)
        if hook is not None:
            reply = await hook(server)
            if reply:
                return reply
        [address] = envelope.rcpt_tos
        self.data_seen[address] += 1
        if address in self.refuse_at_data:
            return self.refuse_at_data[address]
        if address in self.temporary_at_data and self.data_seen[address] == 1:
            return "451 4.3.0 Temporary local problem, try later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((address, time.monotonic(), message))
        return "250 Message accepted"

    def copies(self) -> collections.Counter:
        return collections.Counter(address for address, _, _ in self.messages)


class UnrulyServer:
    """Runs the handler on a fixed port, and can disappear and come back on the same port."""

    def __init__(self, handler: UnrulyHandler):
        self.handler = handler
        self.port = free_port()
        self.controller = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def unruly(settings):
    handler = UnrulyHandler()
    server = UnrulyServer(handler)
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 10},
        }
    }
    # Short leases and pauses, so a test sees several heartbeats and a retry in seconds.
    settings.NEWSLETTER_CLAIM_LEASE_SECONDS = 1
    settings.NEWSLETTER_HEARTBEAT_SECONDS = 0.2
    settings.NEWSLETTER_RETRY_FIRST_PAUSE_SECONDS = 0.3
    settings.NEWSLETTER_RETRY_DELAY_SECONDS = 1
    yield server
    server.stop()


def make_issue(addresses: list[str]) -> Issue:
    Subscriber.objects.bulk_create(
        Subscriber(email=address, status=Subscriber.Status.CONFIRMED) for address in addresses
    )
    issue = Issue.objects.create(subject="Through thick and thin", intro="Hello.")
    IssueArticle.objects.create(issue=issue, article=ArticleFactory())
    return issue


def in_thread(work) -> threading.Thread:
    """Run `work` in its own thread with its own database connection (closed afterwards)."""

    def run():
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.postgres
def test_a_send_through_an_unruly_server_reaches_every_reader_exactly_once(
    unruly, settings, using_postgres
):
    if not using_postgres:
        pytest.skip("a second worker beside the first needs PostgreSQL (SQLite has one writer)")
    settings.NEWSLETTER_BATCH_SIZE = 500  # one batch: the late checks happen inside it
    settings.NEWSLETTER_RETRY_FIRST_PAUSE_SECONDS = 60  # the test moves the clock on itself
    readers = [f"r{i:02d}@example.com" for i in range(30)]
    specials = [GREYLISTED, REFUSED_AT_DATA, TEMPORARY_AT_DATA, BOUNCED_AT_RCPT, UNSUBSCRIBER]
    # Spread the odd ones among the readers; the unsubscriber comes late in the batch.
    addresses = readers[:3] + specials[:4] + readers[3:25] + [UNSUBSCRIBER] + readers[25:]
    issue = make_issue(addresses)
    handler = unruly.handler
    handler.greylisted = {GREYLISTED}
    handler.refuse_at_data = {REFUSED_AT_DATA: "554 5.7.1 Message refused"}
    handler.temporary_at_data = {TEMPORARY_AT_DATA}
    handler.refuse_at_rcpt = {BOUNCED_AT_RCPT: "550 5.1.1 No such user here"}

    # The server slows down past the claim lease: a second worker must not take the rows.
    competitor = {}

    async def slow_down(server):
        await asyncio.sleep(1.5)  # longer than the lease
        thread = in_thread(
            lambda: competitor.update(outcome=sending.run_send(issue.pk, worker_id="other"))
        )
        await asyncio.get_running_loop().run_in_executor(None, thread.join, 10)

    # Midway, the unsubscriber confirms through the real page while the send waits for a reply.
    confirmed = {}

    async def unsubscribe_now(server):
        def post():
            token = Subscriber.objects.get(email=UNSUBSCRIBER).token.hex
            response = Client().post(f"/newsletter/unsubscribe/{token}/")
            confirmed["status"] = response.status_code
            confirmed["copies"] = handler.copies()[UNSUBSCRIBER]

        await asyncio.get_running_loop().run_in_executor(None, in_thread(post).join, 10)

    # Then the server disappears: the connection drops while a message is being taken.
    async def disappear(server):
        server.transport.abort()
        await asyncio.sleep(0.1)
        return "421 going away"

    handler.hooks = {4: slow_down, 10: unsubscribe_now, 20: disappear}
    tasks.start_send(issue=issue, tasks=1)
    run_queued_tasks(max_tasks=1)

    assert competitor["outcome"].sent == 0  # the heartbeat kept the claims alive
    assert confirmed == {"status": 200, "copies": 0}
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    assert "Mail server unavailable" in issue.last_error
    sent_before_outage = sum(handler.copies().values())
    assert 0 < sent_before_outage < len(readers)

    # While the server is gone the queued retry finds nobody home and queues itself again.
    unruly.stop()
    time.sleep(1.1)
    assert run_queued_tasks(max_tasks=1) == 1
    assert sum(handler.copies().values()) == sent_before_outage

    # It comes back: the send finishes for everyone but the deferred copies.
    unruly.start()
    time.sleep(1.1)
    run_queued_tasks(max_tasks=1)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    copies = handler.copies()
    assert {address: copies[address] for address in readers} == dict.fromkeys(readers, 1)
    assert copies[GREYLISTED] == 0 and copies[TEMPORARY_AT_DATA] == 0
    progress = issue.progress()
    assert progress["deferred"] == 2 and progress["remaining"] == 2

    def delivery(address: str) -> Delivery:
        return Delivery.objects.select_related("subscriber").get(
            issue=issue, subscriber__email=address
        )

    assert delivery(REFUSED_AT_DATA).status == Delivery.Status.BOUNCED
    assert "554" in delivery(REFUSED_AT_DATA).error
    assert delivery(REFUSED_AT_DATA).subscriber.status == Subscriber.Status.BOUNCED
    assert delivery(BOUNCED_AT_RCPT).status == Delivery.Status.BOUNCED
    assert delivery(BOUNCED_AT_RCPT).subscriber.bounce_reason.startswith("RCPT 550")
    assert delivery(UNSUBSCRIBER).status == Delivery.Status.SKIPPED
    grey = delivery(GREYLISTED)
    assert grey.status == Delivery.Status.DEFERRED and "451" in grey.error
    assert grey.subscriber.status == Subscriber.Status.CONFIRMED

    # A minute later the retry time has come; the scheduled resume job hands the issue to a
    # worker again.
    assert delivery(GREYLISTED).retry_at > timezone.now() + datetime.timedelta(seconds=50)
    Delivery.objects.filter(status=Delivery.Status.DEFERRED).update(
        retry_at=F("retry_at") - datetime.timedelta(seconds=60)
    )
    assert tasks.resume_stalled_sends() == []  # a worker touched the issue within the lease
    time.sleep(1.1)
    assert tasks.resume_stalled_sends() == [issue.pk]
    run_queued_tasks()
    copies = handler.copies()
    assert copies[GREYLISTED] == 1 and copies[TEMPORARY_AT_DATA] == 1
    assert copies[UNSUBSCRIBER] == 0
    assert {address: copies[address] for address in readers} == dict.fromkeys(readers, 1)
    assert handler.rcpt_seen[GREYLISTED] == 2
    progress = Issue.objects.get(pk=issue.pk).progress()
    assert (progress["sent"], progress["deferred"], progress["remaining"]) == (32, 0, 0)


def test_a_copy_refused_temporarily_for_too_long_is_given_up_with_the_reason(unruly, settings):
    settings.NEWSLETTER_RETRY_FOR_SECONDS = 1
    issue = make_issue(["ok@example.com", GREYLISTED])
    unruly.handler.refuse_at_rcpt = {GREYLISTED: "451 4.7.1 Greylisted, please try again later"}
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.QUEUED)

    tries = 0
    while Delivery.objects.filter(status=Delivery.Status.DEFERRED).exists() or tries == 0:
        tries += 1
        assert tries < 20
        wait_for(
            lambda: (
                not Delivery.objects.filter(
                    status=Delivery.Status.DEFERRED, retry_at__gt=timezone.now()
                ).exists()
            )
        )
        sending.run_send(issue.pk)

    grey = Delivery.objects.get(subscriber__email=GREYLISTED)
    assert grey.status == Delivery.Status.FAILED
    assert grey.error.startswith(f"Gave up after {grey.attempts} attempts")
    assert "RCPT 451 4.7.1 Greylisted" in grey.error
    assert grey.attempts >= 3  # retried with growing pauses before giving up
    assert unruly.handler.copies() == {"ok@example.com": 1}


def test_retry_pauses_grow_and_are_capped(settings):
    settings.NEWSLETTER_RETRY_FIRST_PAUSE_SECONDS = 60
    settings.NEWSLETTER_RETRY_MAX_PAUSE_SECONDS = 3600
    pauses = [sending.retry_pause(n).total_seconds() for n in range(1, 9)]
    assert pauses == [60, 120, 240, 480, 960, 1920, 3600, 3600]


@pytest.mark.postgres
def test_a_lost_connection_reports_its_own_error_not_the_failing_reset(using_postgres):
    """The commit-durability helper resets a session setting on the way out; on a dead
    connection that reset fails too, and must not hide the error that killed the send."""
    if not using_postgres:
        pytest.skip("synchronous_commit is PostgreSQL's")
    import psycopg
    from django.db import OperationalError, connections

    with pytest.raises(OperationalError) as caught, sending._relaxed_commit_durability():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            [pid] = cursor.fetchone()
        params = connections["default"].get_connection_params()
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    # The server's own words about the dead connection, not the failed RESET's "connection is
    # closed" afterwards.
    assert "terminating connection" in str(caught.value), caught.value
    # The dead connection was dropped: the next query simply reconnects.
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)


def test_the_issue_page_shows_copies_still_waiting_for_a_retry(client, settings):
    from tests.factories import UserFactory

    issue = make_issue(["ok@example.com", GREYLISTED])
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT, recipients_prepared=True)
    ok, grey = Subscriber.objects.order_by("pk")
    Delivery.objects.create(issue=issue, subscriber=ok, status=Delivery.Status.SENT)
    Delivery.objects.create(
        issue=issue,
        subscriber=grey,
        status=Delivery.Status.DEFERRED,
        error="RCPT 451 4.7.1 Greylisted",
        retry_at=timezone.now() + datetime.timedelta(minutes=4),
        deferred_since=timezone.now(),
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/newsletter/issue/{issue.pk}/change/").content.decode()
    assert "1 remaining of 2" in page
    assert "1 deferred after a temporary refusal, next retry" in page
    assert "minutes from now" in page
    listing = client.get("/admin/newsletter/delivery/?status=deferred").content.decode()
    assert GREYLISTED in listing and "Greylisted" in listing
