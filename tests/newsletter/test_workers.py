"""Real `manage.py db_worker` processes on PostgreSQL: two workers share one send without a
duplicate, and a worker killed with SIGKILL mid-send is resumed without duplicates or gaps."""

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from newsletter import services
from newsletter.models import Delivery, Issue, Subscriber
from tests.factories import IssueFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def postgres_only(using_postgres):
    if not using_postgres:
        pytest.skip("several worker processes need a shared PostgreSQL database")


def worker_env(smtp_port: int) -> dict:
    db = django_settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "TESTING": "1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "SITE_URL": "https://news.example.org",
        "LOG_LEVEL": "WARNING",
    }


def start_worker(smtp_port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
        ],
        cwd=ROOT,
        env=worker_env(smtp_port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def make_issue(count: int) -> Issue:
    Subscriber.objects.bulk_create(
        Subscriber(email=f"w{i:04d}@example.com", status=Subscriber.Status.CONFIRMED)
        for i in range(count)
    )
    return IssueFactory(subject="Shared send")


def test_two_workers_share_one_send_without_duplicates(smtp_server):
    issue = make_issue(700)
    services.start_send(issue=issue, tasks=2)
    workers = [start_worker(smtp_server.port) for _ in range(2)]
    for worker in workers:
        _, stderr = worker.communicate(timeout=300)
        assert worker.returncode == 0, stderr.decode()[-2000:]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    recipients = smtp_server.recipients
    assert len(recipients) == 700
    assert len(set(recipients)) == 700
    assert Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count() == 700


def test_a_killed_worker_is_resumed_without_duplicates_or_gaps(smtp_server):
    issue = make_issue(450)
    release = threading.Event()
    original = smtp_server.handle_DATA
    seen = {"n": 0}

    async def stall_at_300th(server, session, envelope):
        seen["n"] += 1
        if seen["n"] == 300:
            # The worker waits for our reply here; it dies before getting one.
            while not release.is_set():
                await __import__("asyncio").sleep(0.05)
            return "451 Try again later"
        return await original(server, session, envelope)

    smtp_server.handle_DATA = stall_at_300th
    services.start_send(issue=issue, tasks=1)
    worker = start_worker(smtp_server.port)
    deadline = time.monotonic() + 240
    while seen["n"] < 300:
        assert time.monotonic() < deadline, "the worker never reached the 300th message"
        assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    release.set()
    assert len(smtp_server.recipients) == 299
    assert Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count() == 299

    # Later (the lease has run out), the scheduler's resume_stalled_sends requeues the send.
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Delivery.objects.filter(issue=issue, status=Delivery.Status.CLAIMED).update(
        claimed_at=an_hour_ago
    )
    Issue.objects.filter(pk=issue.pk).update(last_progress_at=an_hour_ago)
    assert services.resume_stalled_sends() == [issue.pk]
    smtp_server.handle_DATA = original
    resumed = start_worker(smtp_server.port)
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr.decode()[-2000:]

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    recipients = smtp_server.recipients
    assert sorted(recipients) == [f"w{i:04d}@example.com" for i in range(450)]
