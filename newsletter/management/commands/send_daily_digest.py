from django.core.management.base import BaseCommand

from newsletter import services, tasks
from newsletter.models import Issue


class Command(BaseCommand):
    help = (
        "Make the daily digest of the articles published since the last one and queue it for the "
        "subscribers who chose daily (--weekly: the weekly digest). Does nothing without new "
        "articles. The workers do this on their own at the times set in the admin (Digest "
        "schedule); this command is for doing it by hand."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--weekly", action="store_true", help="Make the weekly digest instead of the daily one."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Make the issue but do not queue it."
        )

    def handle(self, *, weekly: bool, dry_run: bool, **options) -> None:
        kind = Issue.Kind.WEEKLY if weekly else Issue.Kind.DAILY
        issue = services.create_digest(frequency=kind)
        if issue is None:
            self.stdout.write("No new articles since the last digest: nothing to send.")
            return
        count = issue.article_links.count()
        if dry_run:
            self.stdout.write(f"Made “{issue.subject}” ({count} articles); not queued (--dry-run).")
            return
        tasks.start_send(issue=issue)
        self.stdout.write(
            self.style.SUCCESS(
                f"Queued “{issue.subject}” with {count} article(s) (issue {issue.pk})."
            )
        )
