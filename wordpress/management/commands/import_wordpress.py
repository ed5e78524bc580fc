"""`manage.py import_wordpress EXPORT.xml [--media-dir DIR] [--fetch-media] [--timezone ZONE]
[--dry-run] [--report FILE]`"""

import json
import time
import zoneinfo
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import Report, WordPressImporter
from wordpress.parse import SUPPORTED_VERSIONS, WxrError, parse_wxr

SHOWN_PER_SECTION = 20
PHASE_NAMES = {
    "author": "Authors",
    "category": "Categories",
    "tag": "Tags",
    "image": "Images",
    "article": "Posts",
    "page": "Pages",
    "download": "Downloads",
}


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.1/1.2): authors, categories, tags, posts, "
        "pages and their pictures. Safe to run again; a newer export adds and updates."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The .xml file WordPress exported.")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="A copy of the site's wp-content/uploads folder, for the pictures.",
        )
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help=(
                "Download the pictures from the old site (its upload addresses) into --media-dir, "
                "or into EXPORT-uploads/ beside the export. Safe to repeat: only missing files "
                "are fetched."
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; write nothing."
        )
        parser.add_argument("--report", type=Path, help="Also write the full report here (JSON).")
        parser.add_argument(
            "--timezone",
            help=(
                "The old site's time zone (WordPress: Settings → General), e.g. Asia/Beirut. "
                "Default: TIME_ZONE, which keeps every post's day and address as WordPress had it."
            ),
        )

    def handle(self, *args, export: Path, media_dir: Path | None, dry_run: bool, **options):
        fetch_media = options.get("fetch_media", False)
        if fetch_media and media_dir is None:
            media_dir = export.with_name(f"{export.stem}-uploads")
            if not dry_run:
                media_dir.mkdir(exist_ok=True)
        if media_dir is not None and not media_dir.is_dir() and not (fetch_media and dry_run):
            raise CommandError(f"--media-dir {media_dir} is not a folder.")
        zone = None
        if options.get("timezone"):
            try:
                zone = zoneinfo.ZoneInfo(options["timezone"])
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
                raise CommandError(
                    f"--timezone {options['timezone']}: not a time zone name (e.g. Europe/London)."
                ) from error
        started = time.monotonic()
        try:
            wxr = parse_wxr(export)
        except WxrError as error:
            raise CommandError(f"{export}: {error}") from error
        if wxr.version not in SUPPORTED_VERSIONS:
            self.stderr.write(
                f"WXR version {wxr.version} is newer than the 1.2 this importer knows; trying anyway."
            )
        self.stdout.write(
            f"Read {export.name}: “{wxr.title}” ({wxr.site_url or 'no site address'}), WXR "
            f"{wxr.version}, {len(wxr.items)} items, {len(wxr.authors)} authors, "
            f"{len(wxr.terms)} terms{' — dry run, nothing will be written' if dry_run else ''}."
        )
        if wxr.removed_control_characters:
            self.stdout.write(
                f"Removed {wxr.removed_control_characters} control characters XML does not allow."
            )
        importer = WordPressImporter(
            wxr,
            media_dir=media_dir,
            fetch_media=fetch_media,
            dry_run=dry_run,
            zone=zone,
            progress=self._progress if self.stdout.isatty() else None,
        )
        report = importer.run()
        self._print_report(report, dry_run=dry_run, seconds=time.monotonic() - started)
        if options.get("report"):
            options["report"].write_text(json.dumps(_as_json(report), indent=2, ensure_ascii=False))
            self.stdout.write(f"Full report written to {options['report']}.")
        if report.failed:
            raise CommandError(
                f"{report.failed} item(s) failed (listed above); everything else was "
                f"{'checked' if dry_run else 'imported'}. Fix them in WordPress and run again."
            )

    def _progress(self, phase: str, done: int, total: int) -> None:
        if done != total and done % 25:
            return
        width = 30
        filled = width * done // max(total, 1)
        name = PHASE_NAMES.get(phase, phase)
        self.stdout.write(
            f"\r{name:<11} [{'#' * filled}{' ' * (width - filled)}] {done}/{total}",
            ending="\n" if done == total else "",
        )
        self.stdout.flush()

    def _print_report(self, report: Report, *, dry_run: bool, seconds: float) -> None:
        write = self.stdout.write
        write("")
        write(
            f"{'Kind':<22}{'created':>9}{'updated':>9}{'unchanged':>11}{'skipped':>9}{'failed':>8}"
        )
        for kind, counter in report.counts.items():
            write(
                f"{kind:<22}{counter['created']:>9}{counter['updated']:>9}"
                f"{counter['unchanged']:>11}{counter['skipped']:>9}{counter['failed']:>8}"
            )
        if report.comments:
            write(f"Comments: {report.comments} not imported (this site has no comments).")
        self._section("Failed", report.failures)
        self._section(
            "Private posts imported as drafts (visible in the admin, never to readers)",
            report.private_as_draft,
        )
        self._section(
            "Password-protected posts kept unpublished (this site has no post passwords)",
            report.protected_as_draft,
        )
        self._section(
            "Unknown shortcodes left in the text (edit these posts)",
            [
                f"[{name}] ×{count}, e.g. post {report.shortcode_examples.get(name, '')}"
                for name, count in report.unknown_shortcodes.most_common()
            ],
        )
        self._section(
            "Shortcodes not converted (kept as links or visible text)", report.unconverted
        )
        self._section(
            "Dynamic blocks dropped (WordPress drew them at view time)",
            [f"{name} ×{count}" for name, count in report.dropped_blocks.most_common()],
        )
        self._section(
            "Media not copied",
            [f"{url}: {why}" for url, why in sorted(report.missing_media.items())],
        )
        self._section("Notes", report.notes)
        verb = "checked (dry run, nothing written)" if dry_run else "done"
        self.stdout.write(self.style.SUCCESS(f"Import {verb} in {seconds:.1f} s."))

    def _section(self, title: str, lines: list[str]) -> None:
        if not lines:
            return
        self.stdout.write(f"\n{title}: {len(lines)}")
        for line in lines[:SHOWN_PER_SECTION]:
            self.stdout.write(f"  - {line}")
        if len(lines) > SHOWN_PER_SECTION:
            self.stdout.write(
                f"  … and {len(lines) - SHOWN_PER_SECTION} more (--report FILE lists them all)."
            )


def _as_json(report: Report) -> dict:
    return {
        "counts": {kind: dict(counter) for kind, counter in report.counts.items()},
        "failures": report.failures,
        "private_as_draft": report.private_as_draft,
        "password_protected_as_draft": report.protected_as_draft,
        "unknown_shortcodes": dict(report.unknown_shortcodes),
        "unconverted_shortcodes": report.unconverted,
        "dropped_blocks": dict(report.dropped_blocks),
        "missing_media": report.missing_media,
        "skipped_post_types": dict(report.skipped_types),
        "comments_not_imported": report.comments,
        "notes": report.notes,
    }
