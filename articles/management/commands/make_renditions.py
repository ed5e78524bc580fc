"""Make the renditions of library images that lack them (demo pictures, imports, older uploads)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Image
from articles.renditions import make_renditions


class Command(BaseCommand):
    help = "Make WebP and original-format renditions for images that have none (or all with --all)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all", action="store_true", dest="remake_all", help="Remake every image's renditions."
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be made.")

    def handle(self, *args, remake_all: bool = False, dry_run: bool = False, **options) -> None:
        images = Image.objects.order_by("pk")
        if not remake_all:
            images = images.filter(renditions={})
        pending = list(images.only("pk", "file", "renditions"))
        if dry_run:
            self.stdout.write(f"{len(pending)} images would get renditions.")
            return
        made = failed = 0
        for image in pending:
            try:
                with transaction.atomic():
                    make_renditions(image)
                made += 1
            except (OSError, ValueError) as error:
                failed += 1
                self.stderr.write(f"Image {image.pk} ({image.file.name}): {error}")
        self.stdout.write(
            self.style.SUCCESS(f"Made renditions for {made} images; {failed} failed.")
        )
