"""The logins app's scheduled work."""

from django.tasks import task

from logins.models import LoginLockout


@task
def forget_stale_lockouts() -> int:
    """Delete the lockout rows that no longer count (hourly): how many went."""
    deleted, _ = LoginLockout.objects.stale().delete()
    return deleted
