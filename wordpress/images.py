"""Pictures: the attachments posts use (featured and in bodies) copied from --media-dir into the
Image library through articles.renditions, once each. Part of WordPressImporter."""

import re
from pathlib import Path
from urllib.parse import quote

from django.core.files import File

from articles.models import Image
from articles.renditions import add_image, check_upload
from wordpress.content import attachment_ids, upload_urls
from wordpress.fetch import fetch_uploads
from wordpress.media import full_size, safe_path, upload_relpath
from wordpress.parse import WxrItem
from wordpress.report import ItemError
from wordpress.values import plain_text, wordpress_path

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp"}


class ImageImport:
    def _import_images(self) -> None:
        """Copy the pictures posts use (featured and in bodies) into the library, once each."""
        wanted_ids: set[int] = set()
        orphan_urls: dict[str, str] = {}
        for item in [*self.items_by_type.get("post", []), *self.items_by_type.get("page", [])]:
            thumbnail = item.meta.get("_thumbnail_id", "").strip()
            if thumbnail.isdigit():
                wanted_ids.add(int(thumbnail))
            wanted_ids |= attachment_ids(item.content)
            if re.search(r"\[gallery(?![^\]]*\b(?:ids|include)=)", item.content):
                wanted_ids.update(self.media.children(item.post_id or 0))
            for url in upload_urls(item.content):
                if self.media.is_upload(url):
                    orphan_urls.setdefault(full_size(upload_relpath(url) or ""), url)
        by_relpath = {}
        for attachment in self.media.attachments.values():
            relpath = self.media.attachment_relpath(attachment)
            if relpath:
                by_relpath[relpath] = attachment
        for relpath in list(orphan_urls):
            if relpath in by_relpath:
                wanted_ids.add(by_relpath.pop(relpath).post_id)
                del orphan_urls[relpath]
        self.existing_images = {
            image.wp_attachment_id: image
            for image in Image.objects.filter(wp_attachment_id__in=wanted_ids)
        }
        attachments = [
            self.media.attachments[i] for i in sorted(wanted_ids) if i in self.media.attachments
        ]
        if self.fetch_media:
            self._fetch(attachments, orphan_urls)
        self._each("image", attachments, self._import_attachment)
        self._each("image", sorted(orphan_urls.items()), self._import_orphan_upload)

    def _fetch(self, attachments: list[WxrItem], orphan_urls: dict[str, str]) -> None:
        """Download the pictures the library lacks into the media folder (see wordpress.fetch)."""
        wanted: dict[str, str] = {}
        for attachment in attachments:
            relpath = self.media.attachment_relpath(attachment)
            if attachment.post_id in self.existing_images or not relpath:
                continue
            if Path(relpath).suffix.lower() in IMAGE_EXTENSIONS:
                wanted[relpath] = attachment.attachment_url or self._upload_url(relpath)
        for relpath, url in orphan_urls.items():
            known = self.redirects.get(f"/wp-content/uploads/{relpath}")
            if not (known and known.image_id) and Path(relpath).suffix.lower() in IMAGE_EXTENSIONS:
                wanted[relpath] = url
        if self.dry_run:
            self.report.notes.append(f"Media: {len(wanted)} file(s) would be downloaded.")
            return
        result = fetch_uploads(wanted, into=self.media_dir, progress=self.progress)
        self.fetch_failures = result.failed
        self.report.notes.append(
            f"Media: {result.fetched} file(s) downloaded into {self.media_dir}, "
            f"{result.present} already there, {len(result.failed)} could not be fetched."
        )

    def _upload_url(self, relpath: str) -> str:
        base = (self.export.site_url or self.export.blog_url).rstrip("/")
        return f"{base}/wp-content/uploads/{quote(relpath)}"

    def _import_attachment(self, attachment: WxrItem) -> str:
        relpath = self.media.attachment_relpath(attachment) or ""
        alt_text = (
            plain_text(attachment.meta.get("_wp_attachment_image_alt", ""))
            or plain_text(attachment.title)
            or Path(relpath).stem
        )[:300]
        caption = plain_text(attachment.excerpt)[:500]
        old_paths = [
            p
            for p in {wordpress_path(attachment.attachment_url), f"/wp-content/uploads/{relpath}"}
            if p
        ]
        image = self.existing_images.get(attachment.post_id)
        if image is not None:
            self.media.hold(image, attachment.post_id, [relpath])
            changed = image.alt_text != alt_text or image.caption != caption
            if changed:
                image.alt_text, image.caption = alt_text, caption
                image.save(update_fields=["alt_text", "caption"])
            self._point_redirects(old_paths, image=image)
            return "updated" if changed else "unchanged"
        image = self._copy_upload(relpath, attachment.attachment_url, alt_text, caption)
        if image is None:
            return "skipped"
        if not self.dry_run:
            image.wp_attachment_id = attachment.post_id
            image.save(update_fields=["wp_attachment_id"])
        self.media.hold(image, attachment.post_id, [relpath])
        self._point_redirects(old_paths, image=image)
        return "created"

    def _import_orphan_upload(self, entry: tuple[str, str]) -> str:
        """A picture in a body whose attachment record is gone from WordPress (the file remains)."""
        relpath, url = entry
        old_path = f"/wp-content/uploads/{relpath}"
        known = self.redirects.get(old_path)
        if known is not None and known.image_id:
            self.media.hold(known.image, None, [relpath])
            return "unchanged"
        image = self._copy_upload(relpath, url, Path(relpath).stem.replace("-", " "), "")
        if image is None:
            return "skipped"
        self.media.hold(image, None, [relpath])
        self._point_redirects([old_path, wordpress_path(url)], image=image)
        return "created"

    def _copy_upload(self, relpath: str, url: str, alt_text: str, caption: str) -> Image | None:
        """A new library Image from --media-dir, or None (and a line in the report)."""
        shown = url or relpath
        if not self.media_dir:
            self.report.missing_media[shown] = "kept at its old address (no --media-dir given)"
            return None
        path = safe_path(self.media_dir, relpath) if relpath else None
        if path is None:
            raise ItemError(f"its file path “{relpath[:80]}” is outside --media-dir; refused")
        if path.suffix.lower() not in IMAGE_EXTENSIONS:
            self.report.missing_media[shown] = (
                f"not a picture we import ({path.suffix or 'no extension'})"
            )
            return None
        if not path.is_file():
            failure = self.fetch_failures.get(relpath)
            self.report.missing_media[shown] = (
                f"download failed ({failure}); the post links to the original"
                if failure
                else f"not found in --media-dir ({relpath})"
            )
            return None
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            if self.dry_run:
                check_upload(upload)
                return Image(alt_text=alt_text, caption=caption)
            try:
                return add_image(upload=upload, alt_text=alt_text, caption=caption)
            except Exception as error:
                messages = getattr(error, "messages", None)
                raise ItemError(
                    f"the file {relpath} was refused: {' '.join(messages) if messages else error}"
                ) from error
