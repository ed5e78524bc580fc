"""`manage.py db_worker`: django-tasks-db's worker, same options, made fit for production.

- It survives database outages: where the stock worker exits on the first OperationalError, this
  one logs the error, waits for the database with growing pauses (up to
  WORKER_DATABASE_MAX_PAUSE_SECONDS), reconnects and carries on. A task interrupted by the outage
  is recorded as failed with its own error once the database is back (the send engine rides out
  short outages inside its task, see `newsletter.sending`).
- A heartbeat thread records the worker as alive, marks failed the tasks of workers that were
  killed outright (no task stays RUNNING forever) and fires the scheduled jobs
  (`background.schedule`), so no cron is needed. `--no-schedule` leaves the firing to others.
"""

import logging
import math

from django.conf import settings
from django_tasks_db.management.commands import db_worker as stock

from background.database import OUTAGE_ERRORS, first_line, wait_for_database
from background.workers import WorkerHeartbeat

logger = logging.getLogger("django_tasks_db")


class ResilientWorker(stock.Worker):
    def __init__(self, *, run_schedule: bool = True, **options):
        super().__init__(**options)
        self.heartbeat = WorkerHeartbeat(self.worker_id, run_schedule=run_schedule)
        self.current_task = None

    def run(self) -> None:
        self.heartbeat.start()
        try:
            while True:
                try:
                    super().run()
                    return
                except OUTAGE_ERRORS as error:
                    if not self.running:
                        return
                    self._ride_out(error)
        finally:
            self.heartbeat.stop()

    def _ride_out(self, error: BaseException) -> None:
        interrupted, self.current_task = self.current_task, None
        # The error that ended the task, not the one its failure could not be saved with.
        cause = error.__context__ if interrupted is not None and error.__context__ else error
        logger.warning(
            "Worker %s: database unavailable (%s); waiting for it",
            self.worker_id,
            first_line(cause),
        )
        wait_for_database(
            timeout=math.inf, max_pause=float(settings.WORKER_DATABASE_MAX_PAUSE_SECONDS)
        )
        logger.warning("Worker %s: database back, carrying on", self.worker_id)
        self.startup_delay = False
        if interrupted is not None:
            interrupted.refresh_from_db(fields=["status"])
            if interrupted.status == "RUNNING":
                interrupted.set_failed(cause)

    def run_task(self, db_task_result) -> None:
        self.current_task = db_task_result
        super().run_task(db_task_result)
        self.current_task = None


class Command(stock.Command):
    help = stock.Command.help + " (survives database outages; runs the schedule)"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="run_schedule",
            help="Do not fire scheduled jobs from this worker (others will).",
        )

    def handle(self, *args, run_schedule: bool = True, **options) -> None:
        # The stock command builds its worker by the module-level name `Worker`: lend it ours.
        original = stock.Worker
        stock.Worker = lambda **kwargs: ResilientWorker(run_schedule=run_schedule, **kwargs)
        try:
            super().handle(*args, **options)
        finally:
            stock.Worker = original
