"""Login lockouts: a row per account or address with recent failures, locked once they pass the
limit. Kept in the database (not the cache) so the admin can list them and lift one, and so a cache
flush does not reopen an attack."""

import datetime
from typing import Self

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class LoginLockoutQuerySet(models.QuerySet):
    def locked(self, at: datetime.datetime | None = None) -> Self:
        return self.filter(locked_until__gt=at or timezone.now())

    def stale(self) -> Self:
        """Rows that no longer count: not locked, and their last failure is older than the window
        (the next failure would start from zero). An attack guessing made-up usernames leaves one
        per name; the schedule deletes them (logins.tasks)."""
        window_start = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        return self.filter(last_failure_at__lt=window_start).exclude(
            locked_until__gt=timezone.now()
        )


class LoginLockout(models.Model):
    class Kind(models.TextChoices):
        ACCOUNT = "account", "Account"
        ADDRESS = "address", "Address"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(
        max_length=254, help_text="The username (lower case) or the client's IP address."
    )
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(default=timezone.now)
    last_failure_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = LoginLockoutQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="logins_lockout_kind_key_unique")
        ]
        ordering = ["-last_failure_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    @classmethod
    def limit_for(cls, kind: str) -> int:
        return {
            cls.Kind.ACCOUNT: settings.LOGIN_FAILURES_PER_ACCOUNT,
            cls.Kind.ADDRESS: settings.LOGIN_FAILURES_PER_ADDRESS,
        }[kind]

    @classmethod
    def record_failure(cls, *, kind: str, key: str) -> "LoginLockout":
        """Count one failure; lock once the window's limit is reached. The window and the lockout
        both last LOGIN_LOCKOUT_SECONDS."""
        now = timezone.now()
        window = datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        with transaction.atomic():
            row, _ = cls.objects.select_for_update().get_or_create(kind=kind, key=key[:254])
            if row.first_failure_at < now - window and not row.is_locked:
                row.failures, row.first_failure_at, row.locked_until = 0, now, None
            row.failures += 1
            row.last_failure_at = now
            if row.failures >= cls.limit_for(kind) and not row.is_locked:
                row.locked_until = now + window
            row.save()
        return row

    def lift(self) -> None:
        self.delete()
