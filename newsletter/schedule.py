"""The newsletter's jobs on the workers' schedule (`background.schedule`): the digests at the
editor's times, re-queuing stalled sends and due retries, purging unconfirmed signups."""

import dataclasses
import datetime

from django.conf import settings

from background import schedule
from newsletter.models import DigestSchedule, Issue


@dataclasses.dataclass(frozen=True)
class DigestTiming:
    """The digest's send times as the editor set them in the admin (read at every check, so a
    change applies from the next send time on)."""

    kind: str

    def latest(self, now: datetime.datetime) -> datetime.datetime | None:
        return self._latest(DigestSchedule.current(), now)

    def following(self, moment: datetime.datetime) -> datetime.datetime | None:
        # The next due time is the latest one as seen a little after it: try the next 8 days.
        digests = DigestSchedule.current()
        for hours in range(1, 8 * 24 + 2):
            later = self._latest(digests, moment + datetime.timedelta(hours=hours))
            if later is not None and later > moment:
                return later
        return None

    def _latest(self, digests: DigestSchedule, now: datetime.datetime) -> datetime.datetime | None:
        if self.kind == Issue.Kind.WEEKLY:
            return digests.latest_weekly(now)
        return digests.latest_daily(now)


def register_jobs() -> None:
    from newsletter import tasks

    schedule.register(
        "newsletter.daily-digest", tasks.send_digest, DigestTiming(Issue.Kind.DAILY), kind="daily"
    )
    schedule.register(
        "newsletter.weekly-digest",
        tasks.send_digest,
        DigestTiming(Issue.Kind.WEEKLY),
        kind="weekly",
    )
    schedule.every(
        lambda: settings.NEWSLETTER_RESUME_EVERY_SECONDS,
        name="newsletter.resume-stalled-sends",
        task=tasks.resume_stalled_sends_task,
    )
    schedule.every(
        lambda: 24 * 3600,
        name="newsletter.purge-unconfirmed",
        task=tasks.purge_unconfirmed_task,
    )
