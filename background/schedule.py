"""The schedule that replaces cron: periodic jobs fired by the workers themselves.

Apps register jobs once (in `AppConfig.ready`) with `every(...)` or `register(...)`. Every
`db_worker` calls `run_due_jobs()` every WORKER_HEARTBEAT_SECONDS; a job whose latest due time
(its "slot") is newer than the one it last fired for is enqueued as an ordinary task. The slot
moves forward in a compare-and-set UPDATE committed together with the queued task, so each slot
fires exactly once however many workers and servers run, and a slot missed while every worker
was down fires once when one comes back.

Why not django-crontask: it schedules from cron strings fixed at import time and needs a separate
process holding a Redis lock; the editor sets the digest's time in the admin, and the workers
already share the database.
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable
from typing import Protocol

from django.db import transaction
from django.tasks import Task
from django.utils import timezone

from background.models import ScheduledJob

logger = logging.getLogger(__name__)


class Timing(Protocol):
    def latest(self, now: datetime.datetime) -> datetime.datetime | None:
        """The most recent due time at or before `now` (None: the job is switched off)."""

    def following(self, moment: datetime.datetime) -> datetime.datetime | None:
        """The first due time after `moment`."""


@dataclasses.dataclass(frozen=True)
class Every:
    """Every `seconds()` seconds, on multiples of it since the epoch (a callable, so settings
    changed in tests take effect)."""

    seconds: Callable[[], float]

    def latest(self, now: datetime.datetime) -> datetime.datetime:
        step = max(float(self.seconds()), 0.001)
        return datetime.datetime.fromtimestamp((now.timestamp() // step) * step, tz=datetime.UTC)

    def following(self, moment: datetime.datetime) -> datetime.datetime:
        return self.latest(moment) + datetime.timedelta(seconds=float(self.seconds()))


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    task: Task
    timing: Timing
    kwargs: dict = dataclasses.field(default_factory=dict)


_jobs: dict[str, Job] = {}


def register(name: str, task: Task, timing: Timing, **kwargs) -> None:
    """Fire `task` (with `kwargs`) at the times `timing` gives."""
    _jobs[name] = Job(name=name, task=task, timing=timing, kwargs=kwargs)


def every(seconds: Callable[[], float], *, name: str, task: Task, **kwargs) -> None:
    register(name, task, Every(seconds), **kwargs)


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def next_due(name: str) -> datetime.datetime | None:
    """When the job fires next (for the admin)."""
    job = _jobs.get(name)
    if job is None:
        return None
    row = ScheduledJob.objects.filter(name=name).first()
    now = timezone.now()
    after = max(row.last_slot, now) if row and row.last_slot else now
    return job.timing.following(after)


def run_due_jobs(*, now: datetime.datetime | None = None) -> list[str]:
    """Queue every job whose time has come; returns the names fired by this call."""
    now = now or timezone.now()
    rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=list(_jobs))}
    fired = []
    for job in jobs():
        slot = job.timing.latest(now)
        if slot is None:
            continue
        row = rows.get(job.name)
        if row is None:
            # A new job starts counting now: nothing from before it existed is owed.
            ScheduledJob.objects.bulk_create(
                [ScheduledJob(name=job.name, last_slot=slot)], ignore_conflicts=True
            )
            continue
        if row.last_slot is not None and slot <= row.last_slot:
            continue
        with transaction.atomic():
            won = ScheduledJob.objects.filter(name=job.name, last_slot=row.last_slot).update(
                last_slot=slot, last_fired_at=now
            )
            if won:
                job.task.enqueue(**job.kwargs)
        if won:
            logger.debug("schedule: fired %s for %s", job.name, slot.isoformat())
            fired.append(job.name)
    return fired
