"""Real `manage.py db_worker` processes on PostgreSQL: two workers share one send without a
duplicate, a worker killed with SIGKILL mid-send is taken over by another within a minute without
duplicates or gaps, and a worker survives the database going away under it."""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django_tasks_db.models import DBTaskResult

from background.models import WorkerProcess
from newsletter import tasks
from newsletter.models import Delivery, Issue, Subscriber
from newsletter.tasks import send_test_issue
from tests.factories import IssueFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def postgres_only(using_postgres):
    if not using_postgres:
        pytest.skip("several worker processes need a shared PostgreSQL database")


def worker_env(smtp_port: int, *, database_port: int | None = None) -> dict:
    db = django_settings.DATABASES["default"]
    host = "127.0.0.1" if database_port else db["HOST"] or "127.0.0.1"
    port = database_port or db["PORT"] or 5432
    url = f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "TESTING": "1",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "SITE_URL": "https://news.example.org",
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "text",
        # Short leases and heartbeats, so a dead worker's share is taken over in seconds.
        "NEWSLETTER_CLAIM_LEASE_SECONDS": "3",
        "NEWSLETTER_HEARTBEAT_SECONDS": "0.5",
        "NEWSLETTER_RESUME_EVERY_SECONDS": "1",
        "WORKER_HEARTBEAT_SECONDS": "0.5",
        "WORKER_LOST_AFTER_SECONDS": "3",
    }


def start_worker(
    smtp_port: int, *, batch: bool = True, database_port: int | None = None
) -> subprocess.Popen:
    log = tempfile.TemporaryFile()  # noqa: SIM115  (lives as long as the worker)
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            *(["--batch"] if batch else []),
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
        ],
        cwd=ROOT,
        env=worker_env(smtp_port, database_port=database_port),
        stdout=subprocess.DEVNULL,
        # A file, not a pipe: a long-running worker's log must never fill a pipe and block it.
        stderr=log,
    )
    worker.log = log
    return worker


def errors(worker: subprocess.Popen, *, tail: int = 3000) -> str:
    worker.log.seek(0)
    return worker.log.read().decode(errors="replace")[-tail:]


def stop(worker: subprocess.Popen) -> None:
    """SIGTERM: the worker finishes its task and exits."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def worker_id_of(worker: subprocess.Popen) -> str:
    return WorkerProcess.objects.get(pid=worker.pid).worker_id


def make_issue(count: int) -> Issue:
    Subscriber.objects.bulk_create(
        Subscriber(email=f"w{i:04d}@example.com", status=Subscriber.Status.CONFIRMED)
        for i in range(count)
    )
    return IssueFactory(subject="Shared send")


def test_two_workers_share_one_send_without_duplicates(smtp_server):
    issue = make_issue(700)
    tasks.start_send(issue=issue, tasks=2)
    workers = [start_worker(smtp_server.port) for _ in range(2)]
    for worker in workers:
        worker.wait(timeout=300)
        assert worker.returncode == 0, errors(worker)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    recipients = smtp_server.recipients
    assert len(recipients) == 700
    assert len(set(recipients)) == 700
    assert Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count() == 700


def test_a_killed_worker_is_resumed_without_duplicates_or_gaps(smtp_server):
    """SIGKILL mid-send: a second, already running worker finishes the send within 60 s on its
    own (no cron, no command), and the dead worker's task row does not stay RUNNING."""
    issue = make_issue(450)
    release = threading.Event()
    original = smtp_server.handle_DATA
    seen = {"n": 0}

    async def stall_at_300th(server, session, envelope):
        seen["n"] += 1
        if seen["n"] == 300:
            # The worker waits for our reply here; it dies before getting one.
            while not release.is_set():
                await asyncio.sleep(0.05)
            return "451 Try again later"
        return await original(server, session, envelope)

    smtp_server.handle_DATA = stall_at_300th
    tasks.start_send(issue=issue, tasks=1)
    doomed = start_worker(smtp_server.port, batch=False)
    deadline = time.monotonic() + 240
    while seen["n"] < 300:
        assert time.monotonic() < deadline, "the worker never reached the 300th message"
        assert doomed.poll() is None, errors(doomed)
        time.sleep(0.05)
    survivor = start_worker(smtp_server.port, batch=False)
    try:
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=30)
        killed_at = time.monotonic()
        release.set()
        assert len(smtp_server.recipients) == 299
        assert Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count() == 299

        while Issue.objects.get(pk=issue.pk).status != Issue.Status.SENT:
            assert time.monotonic() - killed_at < 60, "nobody finished the send within 60 s"
            assert survivor.poll() is None, errors(survivor)
            time.sleep(0.2)
        recipients = smtp_server.recipients
        assert sorted(recipients) == [f"w{i:04d}@example.com" for i in range(450)]

        # The killed worker's task is marked failed (by the survivor), not left RUNNING.
        while DBTaskResult.objects.filter(status="RUNNING").exists():
            assert time.monotonic() - killed_at < 60, "the dead worker's task stayed RUNNING"
            time.sleep(0.2)
        lost = DBTaskResult.objects.get(worker_ids__contains=[worker_id_of(doomed)])
        assert lost.status == "FAILED"
        assert lost.exception_class_path == "background.workers.WorkerLost"
    finally:
        stop(survivor)


def test_a_worker_survives_the_database_going_away_mid_send(smtp_server, settings):
    """The database connections drop under a running worker: it waits, reconnects and finishes
    the send (each reader once), and stays up for the next task."""
    from tests.test_production import TcpProxy

    db = settings.DATABASES["default"]
    proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.start()
    issue = make_issue(400)
    original = smtp_server.handle_DATA
    outage = threading.Event()

    async def slow_and_cut(server, session, envelope):
        await asyncio.sleep(0.005)
        reply = await original(server, session, envelope)
        if len(smtp_server.messages) == 150:
            outage.set()
        return reply

    smtp_server.handle_DATA = slow_and_cut
    tasks.start_send(issue=issue, tasks=1)
    worker = start_worker(smtp_server.port, batch=False, database_port=proxy.port)
    try:
        assert outage.wait(timeout=120), "the send never got going"
        proxy.stop()  # every connection of the worker drops, new ones are refused
        time.sleep(2)
        assert worker.poll() is None, errors(worker)
        proxy.start()
        deadline = time.monotonic() + 90
        while Issue.objects.get(pk=issue.pk).status != Issue.Status.SENT:
            assert time.monotonic() < deadline, "the send did not finish after the outage"
            assert worker.poll() is None, errors(worker)
            time.sleep(0.2)
        assert sorted(smtp_server.recipients) == [f"w{i:04d}@example.com" for i in range(400)]
        # The send's task rows end finished, none left RUNNING (scheduled jobs come and go).
        sends = DBTaskResult.objects.filter(task_path__endswith=".send_issue")
        while sends.filter(status__in=["RUNNING", "READY"]).exists():
            assert time.monotonic() < deadline, "a send task was left unfinished"
            time.sleep(0.2)

        # Still working: the next task runs.
        send_test_issue.enqueue(issue_id=issue.pk, email="editor@example.org")
        deadline = time.monotonic() + 30
        while "editor@example.org" not in smtp_server.recipients:
            assert time.monotonic() < deadline, "the worker stopped taking tasks"
            time.sleep(0.1)
        assert worker.poll() is None
    finally:
        stop(worker)
        proxy.stop()
    log = errors(worker, tail=10**7)
    # The outage was noticed and ridden out: one line each, no traceback, no crash.
    assert "database unavailable" in log
    assert "Traceback" not in log
