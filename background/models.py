"""What the workers share through the database: which scheduled slot each job last fired for,
and which worker processes are alive."""

from django.db import models


class ScheduledJob(models.Model):
    """One periodic job. `last_slot` is the due time it last fired for; a worker fires the job by
    moving it forward with a compare-and-set UPDATE, so one worker among all servers wins."""

    name = models.CharField(max_length=100, primary_key=True)
    last_slot = models.DateTimeField(null=True, blank=True)
    last_fired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkerProcess(models.Model):
    """A running `db_worker`; it renews `last_seen` every WORKER_HEARTBEAT_SECONDS. A task left
    RUNNING by a worker silent for WORKER_LOST_AFTER_SECONDS was killed with it."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = "worker process"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id[:8]})"
