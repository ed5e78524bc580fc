"""The send engine: exactly one copy per subscriber per issue, through crashes, a mail server
going away, bounces and unsubscribes during the send."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletter import sending, services, tasks
from newsletter.models import Delivery, Issue, IssueArticle, Subscriber
from tests.factories import ArticleFactory, IssueFactory, SubscriberFactory
from tests.newsletter.conftest import free_port, run_queued_tasks

pytestmark = pytest.mark.django_db


def make_subscribers(count: int, **extra) -> list[Subscriber]:
    return Subscriber.objects.bulk_create(
        Subscriber(email=f"s{i:04d}@example.com", status=Subscriber.Status.CONFIRMED, **extra)
        for i in range(count)
    )


@pytest.fixture
def issue() -> Issue:
    issue = IssueFactory(subject="The issue", intro="Hello.")
    IssueArticle.objects.create(issue=issue, article=ArticleFactory())
    Issue.objects.filter(pk=issue.pk).update(
        status=Issue.Status.QUEUED, queued_at=timezone.now(), last_progress_at=timezone.now()
    )
    issue.refresh_from_db()
    return issue


def statuses(issue: Issue) -> dict[str, int]:
    return {k: v for k, v in issue.progress().items() if v}


def test_a_send_reaches_every_confirmed_subscriber_once_in_batches(smtp_server, settings, issue):
    settings.NEWSLETTER_BATCH_SIZE = 4
    make_subscribers(10)
    SubscriberFactory(email="pending@example.com", pending=True)
    SubscriberFactory(email="gone@example.com", unsubscribed=True)
    outcome = sending.run_send(issue.pk)
    assert outcome.sent == 10 and outcome.finished
    assert sorted(smtp_server.recipients) == [f"s{i:04d}@example.com" for i in range(10)]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.recipient_count == 10
    # Running it again (a duplicate task) sends nothing more.
    sending.run_send(issue.pk)
    assert len(smtp_server.messages) == 10


def test_a_worker_killed_mid_send_resumes_without_duplicates_or_gaps(smtp_server, settings, issue):
    settings.NEWSLETTER_BATCH_SIZE = 5
    make_subscribers(12)
    # Worker A sends one batch, then claims a second one and dies before sending it.
    first = sending.run_send(issue.pk, worker_id="worker-a", max_batches=1)
    assert first.sent == 5
    held = sending.claim_batch(issue.pk, worker_id="worker-a", size=5)
    assert len(held) == 5
    # While A's lease is valid nobody else takes its rows...
    second = sending.run_send(issue.pk, worker_id="worker-b")
    assert second.sent == 2 and not second.finished
    # ...and once it runs out, the stalled send is picked up again.
    Delivery.objects.filter(claimed_by="worker-a").update(
        claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    Issue.objects.filter(pk=issue.pk).update(
        last_progress_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert tasks.resume_stalled_sends() == [issue.pk]
    run_queued_tasks()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert sorted(smtp_server.recipients) == [f"s{i:04d}@example.com" for i in range(12)]
    assert statuses(issue) == {"sent": 12, "total": 12}


def test_mail_server_going_away_mid_send_resumes_where_it_stopped(smtp_server, settings, issue):
    settings.NEWSLETTER_BATCH_SIZE = 3
    make_subscribers(8)
    smtp_server.close_at_data = {5}  # the server hangs up while taking the 5th message
    outcome = sending.run_send(issue.pk)
    assert outcome.server_unavailable and outcome.sent == 4
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    assert "Mail server unavailable" in issue.last_error
    assert statuses(issue) == {"sent": 4, "remaining": 4, "total": 8}
    assert Delivery.objects.filter(status=Delivery.Status.FAILED).count() == 0

    sending.run_send(issue.pk)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert sorted(smtp_server.recipients) == [f"s{i:04d}@example.com" for i in range(8)]


def test_unreachable_mail_server_requeues_the_send_for_later(settings, issue):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    make_subscribers(3)
    services.Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.DRAFT)
    tasks.start_send(issue=issue, tasks=1)
    run_queued_tasks(max_tasks=1)
    [retry] = DBTaskResult.objects.ready().all() or [None]
    assert retry is None  # the retry waits: not ready yet
    later = DBTaskResult.objects.filter(status="READY").get()
    assert later.run_after > timezone.now() + datetime.timedelta(seconds=30)
    assert statuses(issue) == {"remaining": 3, "total": 3}


def test_permanent_refusal_bounces_the_address_and_the_rest_still_go(smtp_server, issue):
    """A 5xx bounces that address; a 4xx defers that copy for a retry (tests/newsletter/
    test_delivery_faults.py follows the retry); neither holds up the others."""
    make_subscribers(3)
    SubscriberFactory(email="dead@example.com")
    SubscriberFactory(email="full@example.com")
    smtp_server.refuse = {
        "dead@example.com": "550 5.1.1 No such user",
        "full@example.com": "452 4.2.2 Mailbox full",
    }
    outcome = sending.run_send(issue.pk)
    assert (outcome.sent, outcome.bounced, outcome.deferred, outcome.failed) == (3, 1, 1, 0)
    dead = Subscriber.objects.get(email="dead@example.com")
    assert dead.status == Subscriber.Status.BOUNCED
    assert "550" in dead.bounce_reason
    assert Subscriber.objects.get(email="full@example.com").status == Subscriber.Status.CONFIRMED
    assert Delivery.objects.get(subscriber=dead).status == Delivery.Status.BOUNCED
    deferred = Delivery.objects.get(subscriber__email="full@example.com")
    assert deferred.status == Delivery.Status.DEFERRED and "452" in deferred.error
    assert deferred.retry_at > timezone.now()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert (issue.progress()["failed"], issue.progress()["deferred"]) == (1, 1)

    # Not mailed again, until the editor re-enables the address.
    nxt = IssueFactory(subject="Next")
    tasks.start_send(issue=nxt)
    run_queued_tasks()
    assert not Delivery.objects.filter(issue=nxt, subscriber=dead).exists()
    assert Subscriber.objects.filter(pk=dead.pk).reenable_bounced() == 1
    third = IssueFactory(subject="Third")
    smtp_server.refuse = {}
    tasks.start_send(issue=third)
    run_queued_tasks()
    assert Delivery.objects.get(issue=third, subscriber=dead).status == Delivery.Status.SENT


def test_unsubscribes_during_a_send_are_respected(smtp_server, settings, issue):
    settings.NEWSLETTER_BATCH_SIZE = 2
    subscribers = make_subscribers(6)
    sending.run_send(issue.pk, max_batches=1)
    subscribers[4].unsubscribe()
    sending.run_send(issue.pk)
    assert subscribers[4].email not in smtp_server.recipients
    assert len(smtp_server.recipients) == 5
    assert Delivery.objects.get(subscriber=subscribers[4]).status == Delivery.Status.SKIPPED
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_weekly_subscribers_get_the_weekly_digest_only(smtp_server):
    make_subscribers(2)
    SubscriberFactory(email="weekly@example.com", frequency=Subscriber.Frequency.WEEKLY)
    ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=2))
    daily = services.create_digest(frequency=Issue.Kind.DAILY)
    weekly = services.create_digest(frequency=Issue.Kind.WEEKLY)
    tasks.start_send(issue=daily)
    tasks.start_send(issue=weekly)
    run_queued_tasks()
    assert [d.subscriber.email for d in weekly.deliveries.all()] == ["weekly@example.com"]
    assert "weekly@example.com" not in [d.subscriber.email for d in daily.deliveries.all()]


def test_test_send_goes_to_one_address_only(smtp_server, issue):
    make_subscribers(3)
    services.send_test_issue(issue=issue, email="Editor@Example.org")
    [(rcpts, message)] = smtp_server.messages
    assert rcpts == ["editor@example.org"]
    assert message["Subject"] == "[Test] The issue"
    assert not Delivery.objects.exists()


def test_international_domains_take_djangos_path_and_are_encoded(smtp_server, issue):
    SubscriberFactory(email="reader@bücher.example")
    SubscriberFactory(email="plain@example.com")
    outcome = sending.run_send(issue.pk)
    assert outcome.sent == 2
    assert sorted(smtp_server.recipients) == ["plain@example.com", "reader@xn--bcher-kva.example"]
    for _, message in smtp_server.messages:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/newsletter/unsubscribe/" in message.get_body(("plain",)).get_content()


def test_finishing_a_send_refreshes_cached_pages(
    smtp_server, issue, django_capture_on_commit_callbacks
):
    from pagecache import generation

    make_subscribers(1)
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        sending.run_send(issue.pk)
    assert generation.current() > before
