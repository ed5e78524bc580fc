"""Keeping `db_worker` processes honest: each says it is alive, and a task left RUNNING by a
worker that stopped saying so (killed with SIGKILL, machine gone) is marked failed."""

import datetime
import logging
import os
import socket
import threading
import traceback

from django.conf import settings
from django.db import DatabaseError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background import schedule
from background.database import drop_connection, first_line
from background.models import WorkerProcess

logger = logging.getLogger(__name__)

FORGET_AFTER = datetime.timedelta(days=1)


class WorkerLost(Exception):
    """The worker running this task stopped (killed, or its machine went away)."""


def heartbeat_seconds() -> float:
    return float(settings.WORKER_HEARTBEAT_SECONDS)


def lost_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=float(settings.WORKER_LOST_AFTER_SECONDS))


def record_alive(worker_id: str, *, started_at: datetime.datetime) -> None:
    now = timezone.now()
    WorkerProcess.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen": now},
        create_defaults={
            "last_seen": now,
            "started_at": started_at,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def fail_lost_tasks(*, now: datetime.datetime | None = None) -> list[str]:
    """Mark failed every RUNNING task whose worker has been silent too long; returns their ids."""
    now = now or timezone.now()
    cutoff = now - lost_after()
    WorkerProcess.objects.filter(last_seen__lt=now - FORGET_AFTER).delete()
    live = set(
        WorkerProcess.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True)
    )
    lost = [
        str(pk)
        for pk, worker_ids in DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .values_list("id", "worker_ids")
        if not worker_ids or worker_ids[-1] not in live
    ]
    if not lost:
        return []
    error = WorkerLost(
        f"The worker running this task stopped reporting for over "
        f"{lost_after().total_seconds():.0f} s (killed, or its machine went away)."
    )
    DBTaskResult.objects.filter(pk__in=lost, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback="".join(traceback.format_exception_only(error)),
    )
    logger.warning("marked %d task(s) of lost workers failed: %s", len(lost), ", ".join(lost))
    return lost


class WorkerHeartbeat:
    """A thread beside the worker loop: every WORKER_HEARTBEAT_SECONDS it records the worker as
    alive, fails tasks of lost workers and fires the scheduled jobs that are due. It has its own
    database connection, so a long task does not stop it; database errors are logged and retried."""

    def __init__(self, worker_id: str, *, run_schedule: bool = True):
        self.worker_id = worker_id
        self.run_schedule = run_schedule
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=heartbeat_seconds() + 10)

    def beat(self) -> None:
        record_alive(self.worker_id, started_at=self.started_at)
        fail_lost_tasks()
        if self.run_schedule:
            schedule.run_due_jobs()

    def _run(self) -> None:
        try:
            while True:
                try:
                    self.beat()
                except DatabaseError as error:
                    logger.warning("worker heartbeat: database unavailable (%s)", first_line(error))
                    drop_connection()
                except Exception:
                    logger.exception("worker heartbeat failed")
                if self._stop.wait(heartbeat_seconds()):
                    return
        finally:
            drop_connection()
