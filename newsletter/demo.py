"""Demo subscribers, so an issue can be sent right after `make run` (to the console, unless
EMAIL_HOST is set). `manage.py load_demo` calls `load_demo()` here, as it calls every app's
`demo.load_demo`. Idempotent: existing addresses are left as they are."""

from django.core.management.base import OutputWrapper
from django.utils import timezone

from newsletter.models import Subscriber

# example.org addresses (RFC 2606): nothing sent to them can reach a person.
DEMO_SUBSCRIBERS = [
    ("amira.reader@example.org", "Amira", Subscriber.Frequency.DAILY),
    ("ben.reader@example.org", "Ben", Subscriber.Frequency.DAILY),
    ("chen.reader@example.org", "Chen", Subscriber.Frequency.DAILY),
    ("dana.reader@example.org", "Dana", Subscriber.Frequency.WEEKLY),
    ("elif.reader@example.org", "Elif", Subscriber.Frequency.WEEKLY),
]


def load_demo(
    *, stdout: OutputWrapper, update: bool = False, dry_run: bool = False, renditions: bool = True
) -> None:
    """The `load_demo` hook: subscribers never overwrite what exists, so `update` changes nothing;
    there are no files, so a dry run needs nothing special."""
    counts = load_demo_newsletter()
    stdout.write("Newsletter: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + ".")


def load_demo_newsletter() -> dict[str, int]:
    """Create the demo subscribers that are missing, confirmed; returns counts."""
    now = timezone.now()
    added = 0
    for email, name, frequency in DEMO_SUBSCRIBERS:
        _, created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "frequency": frequency,
                "status": Subscriber.Status.CONFIRMED,
                "source": Subscriber.Source.ADMIN,
                "confirmed_at": now,
            },
        )
        added += created
    return {
        "subscribers added": added,
        "confirmed subscribers": Subscriber.objects.confirmed().count(),
    }
