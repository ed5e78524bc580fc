import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsletter.models import Issue, Subscriber
from tests.factories import ArticleFactory, IssueFactory, SubscriberFactory
from tests.newsletter.conftest import run_queued_tasks

pytestmark = pytest.mark.django_db


def test_send_daily_digest_does_nothing_without_new_articles(capsys):
    ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=3))
    call_command("send_daily_digest")
    assert "nothing to send" in capsys.readouterr().out
    assert not Issue.objects.exists()


def test_send_daily_digest_queues_the_articles_since_the_last_one(smtp_server, capsys):
    SubscriberFactory(email="daily@example.com")
    SubscriberFactory(email="weekly@example.com", frequency="weekly")
    older = ArticleFactory(
        title="Yesterday's", published_at=timezone.now() - datetime.timedelta(hours=5)
    )
    ArticleFactory(title="Draft one", draft=True)
    call_command("send_daily_digest")
    issue = Issue.objects.get()
    assert issue.kind == Issue.Kind.DAILY and issue.status == Issue.Status.QUEUED
    assert list(issue.articles.all()) == [older]
    run_queued_tasks()
    assert smtp_server.recipients == ["daily@example.com"]
    [(_, message)] = smtp_server.messages
    assert "Yesterday's" in message.get_body(("plain",)).get_content()

    # Run again at once: nothing new since, nothing made.
    call_command("send_daily_digest")
    assert Issue.objects.count() == 1
    newer = ArticleFactory(
        title="Fresh", published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("send_daily_digest")
    latest = Issue.objects.order_by("-pk").first()
    assert list(latest.articles.all()) == [newer]
    assert "Queued" in capsys.readouterr().out


def test_send_daily_digest_dry_run_queues_nothing():
    ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    call_command("send_daily_digest", "--dry-run")
    assert Issue.objects.get().status == Issue.Status.DRAFT


def test_purge_removes_only_old_unconfirmed_signups(capsys):
    old = timezone.now() - datetime.timedelta(days=31)
    SubscriberFactory(email="stale@example.com", created_at=old, pending=True)
    SubscriberFactory(email="fresh@example.com", pending=True)
    SubscriberFactory(email="kept@example.com", created_at=old)
    call_command("purge_unconfirmed_subscribers", "--dry-run")
    assert Subscriber.objects.count() == 3
    call_command("purge_unconfirmed_subscribers")
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "fresh@example.com",
        "kept@example.com",
    ]
    assert "Deleted 1" in capsys.readouterr().out


def test_resume_stalled_sends_command(capsys):
    issue = IssueFactory(subject="x")
    Issue.objects.filter(pk=issue.pk).update(
        status=Issue.Status.SENDING, last_progress_at=timezone.now() - datetime.timedelta(hours=1)
    )
    call_command("resume_stalled_sends")
    assert f"issue(s) {issue.pk}" in capsys.readouterr().out
    call_command("resume_stalled_sends")
