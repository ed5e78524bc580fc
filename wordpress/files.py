"""Audio, video and PDF files the posts use: copied from --media-dir (or downloaded with
--fetch-media) into our storage under `files/`, keeping WordPress's year/month folders, so the
players and download links keep working once the old site is gone. They are not pictures, so
they skip the image library; what is checked is the extension and the size. Part of
WordPressImporter."""

import re
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from wordpress.fetch import fetch_uploads
from wordpress.media import safe_path, upload_relpath

FILE_EXTENSIONS = {
    *(".mp3", ".m4a", ".ogg", ".oga", ".wav", ".flac", ".aac", ".opus"),
    *(".mp4", ".m4v", ".webm", ".ogv"),
    ".pdf",
}
_FILE_URL = re.compile(
    r"""https?://[^\s"'<>\[\]]+?\.(?:"""
    + "|".join(ext.lstrip(".") for ext in sorted(FILE_EXTENSIONS))
    + r""")(?=[\s"'<>\[\]?#]|$)""",
    re.I,
)
STORAGE_FOLDER = "files"


class FileImport:
    def _import_files(self) -> None:
        wanted: dict[str, str] = {}  # relpath → old url
        for item in [*self.items_by_type.get("post", []), *self.items_by_type.get("page", [])]:
            for url in _FILE_URL.findall(item.content):
                relpath = upload_relpath(url) if self.media.is_upload(url) else None
                if relpath and Path(relpath).suffix.lower() in FILE_EXTENSIONS:
                    wanted.setdefault(relpath, url)
        if not wanted:
            return
        stored = {
            relpath: name
            for relpath in wanted
            if default_storage.exists(name := f"{STORAGE_FOLDER}/{relpath}")
        }
        for relpath, name in stored.items():
            self.media.hold_file(relpath, default_storage.url(name))
            self.report.count("file", "unchanged")
        missing = {relpath: url for relpath, url in wanted.items() if relpath not in stored}
        if self.fetch_media and missing and not self.dry_run:
            self.fetch_failures |= fetch_uploads(
                missing, into=self.media_dir, progress=self.progress
            ).failed
        for relpath, url in sorted(missing.items()):
            self.report.count("file", self._store_file(relpath, url))

    def _store_file(self, relpath: str, url: str) -> str:
        path = safe_path(self.media_dir, relpath) if self.media_dir else None
        if path is None or not path.is_file():
            failure = self.fetch_failures.get(relpath)
            self.report.missing_media[url] = (
                f"download failed ({failure}); the post links to the original"
                if failure
                else "kept at its old address (not in --media-dir, or none given)"
            )
            return "skipped"
        if path.stat().st_size > settings.WORDPRESS_FETCH_MAX_BYTES:
            self.report.missing_media[url] = (
                "larger than WORDPRESS_FETCH_MAX_BYTES; kept at its old address"
            )
            return "skipped"
        if self.dry_run:
            return "created"
        with path.open("rb") as handle:
            name = default_storage.save(f"{STORAGE_FOLDER}/{relpath}", File(handle))
        self.media.hold_file(relpath, default_storage.url(name))
        return "created"
