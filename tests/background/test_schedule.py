"""The schedule the workers keep instead of cron: each job fires once per due time however many
workers check, digests go out at the times the editor sets in the admin, and a time missed while
every worker was down is made up once."""

import datetime
import threading
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.core.management import get_commands
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background import schedule
from background.models import ScheduledJob
from newsletter.models import DigestSchedule, Issue, Subscriber
from tests.factories import ArticleFactory, UserFactory
from tests.real_services import run_queued_tasks, smtp_server

__all__ = ["smtp_server"]  # a fixture

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def queued(task_name: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith=f".{task_name}"))


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def test_db_worker_is_the_resilient_worker_that_keeps_the_schedule():
    assert get_commands()["db_worker"] == "background"


def test_every_job_that_used_to_need_cron_is_scheduled():
    names = {job.name for job in schedule.jobs()}
    assert {
        "newsletter.daily-digest",
        "newsletter.weekly-digest",
        "newsletter.purge-unconfirmed",
        "newsletter.resume-stalled-sends",
        "articles.flush-view-counts",
        "donations.retry-paypal",
        "background.prune-task-results",
    } <= names


def test_a_job_fires_once_per_due_time(settings):
    start = at(2026, 3, 2, 10, 0, 5)
    assert schedule.run_due_jobs(now=start) == []  # first sight: nothing is owed yet
    assert "articles.flush-view-counts" in schedule.run_due_jobs(
        now=start + datetime.timedelta(minutes=1)
    )
    later = schedule.run_due_jobs(now=start + datetime.timedelta(minutes=1, seconds=30))
    assert "articles.flush-view-counts" not in later
    assert len(queued("flush_view_counts_task")) == 1
    # A time missed while every worker was down is made up once, not once per missed minute.
    schedule.run_due_jobs(now=start + datetime.timedelta(minutes=30))
    assert len(queued("flush_view_counts_task")) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_several_workers_checking_at_once_fire_a_job_once(using_postgres):
    if not using_postgres:
        pytest.skip("concurrent writers need PostgreSQL")
    start = at(2026, 3, 2, 10, 0, 5)
    schedule.run_due_jobs(now=start)
    due = start + datetime.timedelta(minutes=1)
    barrier = threading.Barrier(6)
    fired = []

    def worker():
        try:
            barrier.wait()
            fired.extend(schedule.run_due_jobs(now=due))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fired.count("articles.flush-view-counts") == 1
    assert len(queued("flush_view_counts_task")) == 1


def test_digests_go_out_at_the_time_and_weekday_the_editor_sets(
    client, settings, smtp_server, commit
):
    settings.TIME_ZONE = "Asia/Beirut"
    beirut = zoneinfo.ZoneInfo("Asia/Beirut")
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    # The admin goes straight to the one schedule; the editor picks 18:30 and Fridays at 09:00.
    changelist = client.get(reverse("admin:newsletter_digestschedule_changelist"))
    assert changelist.status_code == 302
    form = client.get(changelist["Location"])
    assert form.status_code == 200
    response = commit(
        lambda: client.post(
            changelist["Location"],
            {
                "daily_enabled": "on",
                "daily_time": "18:30",
                "weekly_enabled": "on",
                "weekly_weekday": "4",
                "weekly_time": "09:00",
            },
        )
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DigestSchedule.current().daily_time == datetime.time(18, 30)
    page = client.get(changelist["Location"]).content.decode()
    assert "Next weekly digest" in page and "Friday" in page and "09:00" in page

    Subscriber.objects.create(email="daily@example.com", status=Subscriber.Status.CONFIRMED)
    monday_noon = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=beirut)
    ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    schedule.run_due_jobs(now=monday_noon)  # the jobs are seen for the first time
    fired = schedule.run_due_jobs(now=monday_noon.replace(hour=18, minute=29))
    assert "newsletter.daily-digest" not in fired
    fired = schedule.run_due_jobs(now=monday_noon.replace(hour=18, minute=31))
    assert "newsletter.daily-digest" in fired and "newsletter.weekly-digest" not in fired
    [digest_task] = queued("send_digest")
    assert digest_task.args_kwargs["kwargs"] == {"kind": "daily"}
    # Fridays at 09:00 for the weekly one, and only then.
    thursday = monday_noon + datetime.timedelta(days=3)
    fired = schedule.run_due_jobs(now=thursday.replace(hour=9, minute=1))
    assert "newsletter.weekly-digest" not in fired
    friday = monday_noon + datetime.timedelta(days=4)
    assert "newsletter.weekly-digest" in schedule.run_due_jobs(now=friday.replace(hour=9, minute=1))
    assert schedule.next_due("newsletter.weekly-digest") > timezone.now()

    # The daily digest task makes the issue and sends it to daily readers.
    DBTaskResult.objects.exclude(pk=digest_task.pk).delete()
    run_queued_tasks()
    issue = Issue.objects.get(kind=Issue.Kind.DAILY)
    assert issue.status == Issue.Status.SENT
    assert smtp_server.recipients == ["daily@example.com"]


def test_a_digest_switched_off_does_not_go_out():
    DigestSchedule.objects.create(daily_enabled=False)
    monday = at(2026, 3, 2, 5, 0)
    schedule.run_due_jobs(now=monday)
    fired = schedule.run_due_jobs(now=monday + datetime.timedelta(days=1))
    assert "newsletter.daily-digest" not in fired
    assert ScheduledJob.objects.filter(name="newsletter.weekly-digest").exists()


def test_the_resume_job_requeues_a_send_nobody_works_on(settings):
    settings.NEWSLETTER_RESUME_EVERY_SECONDS = 15
    settings.NEWSLETTER_CLAIM_LEASE_SECONDS = 1
    issue = Issue.objects.create(subject="Stalled")
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING, last_progress_at=long_ago)
    start = timezone.now()
    schedule.run_due_jobs(now=start)
    schedule.run_due_jobs(now=start + datetime.timedelta(seconds=16))
    assert len(queued("resume_stalled_sends_task")) == 1
    run_queued_tasks()
    assert len(queued("send_issue")) == 1
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT  # its (empty) list was sent by the queued task
