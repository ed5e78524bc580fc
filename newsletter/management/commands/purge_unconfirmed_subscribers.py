from django.core.management.base import BaseCommand

from newsletter import services


class Command(BaseCommand):
    help = "Delete newsletter signups never confirmed within 30 days (the workers do it daily)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")

    def handle(self, *, dry_run: bool, **options) -> None:
        count = services.purge_unconfirmed(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} unconfirmed signup(s) older than 30 days.")
