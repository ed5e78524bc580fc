"""A task whose worker was killed outright does not stay RUNNING."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background.workers import WorkerHeartbeat, fail_lost_tasks, record_alive
from newsletter.tasks import purge_unconfirmed_task

pytestmark = pytest.mark.django_db


def running_task(worker_id: str, *, started_minutes_ago: int) -> DBTaskResult:
    result = purge_unconfirmed_task.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago)
    )
    return row


def test_the_task_of_a_silent_worker_is_marked_failed_and_a_live_ones_is_not(settings):
    settings.WORKER_LOST_AFTER_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    record_alive("killed", started_at=long_ago)
    from background.models import WorkerProcess

    WorkerProcess.objects.filter(worker_id="killed").update(last_seen=long_ago)
    record_alive("alive", started_at=long_ago)
    lost = running_task("killed", started_minutes_ago=5)
    busy = running_task("alive", started_minutes_ago=5)
    just_started = running_task("killed", started_minutes_ago=0)

    assert fail_lost_tasks() == [str(lost.pk)]
    lost.refresh_from_db()
    assert lost.status == "FAILED"
    assert lost.exception_class_path == "background.workers.WorkerLost"
    assert "stopped reporting" in lost.traceback
    busy.refresh_from_db()
    just_started.refresh_from_db()
    assert busy.status == just_started.status == "RUNNING"


def test_a_heartbeat_records_the_worker_and_fires_due_jobs():
    heartbeat = WorkerHeartbeat("w-1")
    heartbeat.beat()
    from background.models import ScheduledJob, WorkerProcess

    assert WorkerProcess.objects.get(worker_id="w-1").last_seen is not None
    assert ScheduledJob.objects.filter(name="articles.flush-view-counts").exists()


def test_old_finished_task_results_are_pruned_daily():
    from background.tasks import prune_task_results

    old = purge_unconfirmed_task.enqueue()
    DBTaskResult.objects.filter(pk=old.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - datetime.timedelta(days=15)
    )
    recent = purge_unconfirmed_task.enqueue()
    prune_task_results.call()
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [
        DBTaskResult.objects.get(pk=recent.id).pk
    ]
