"""Where a WordPress site's uploaded files are, and which of them we hold in our Image library."""

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from articles.models import Image
from wordpress.content import MediaFile
from wordpress.parse import WxrItem
from wordpress.values import plain_text

_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
_UPLOADS = "/wp-content/uploads/"
PHOTON_HOSTS = {"i0.wp.com", "i1.wp.com", "i2.wp.com", "i3.wp.com"}


def site_hosts(*urls: str) -> set[str]:
    hosts = set()
    for url in urls:
        host = (urlparse(url).hostname or "").lower()
        if host:
            hosts |= {host, host.removeprefix("www."), f"www.{host.removeprefix('www.')}"}
    return hosts


def upload_relpath(url: str) -> str | None:
    """`https://site/wp-content/uploads/2019/05/a.jpg?w=300` → `2019/05/a.jpg`; None for other URLs."""
    parsed = urlparse(url)
    path = unquote(parsed.path)
    host = (parsed.hostname or "").lower()
    if _UPLOADS in path:
        return path.split(_UPLOADS, 1)[1] or None
    if host.endswith(".files.wordpress.com"):
        return path.lstrip("/") or None
    return None


def full_size(relpath: str) -> str:
    """WordPress names resized copies `photo-300x200.jpg`; the original is `photo.jpg`."""
    return _SIZE_SUFFIX.sub("", relpath)


def safe_path(root: Path, relpath: str) -> Path | None:
    """The file under `root`, or None when `relpath` tries to leave it (../, absolute paths)."""
    candidate = (root / relpath.lstrip("/")).resolve()
    try:
        candidate.relative_to(root.resolve())
    except ValueError:
        return None
    return candidate


class MediaLibrary:
    """Answers content conversion's questions about uploads (see content.MediaLookup)."""

    def __init__(self, *, hosts: set[str], attachments: dict[int, WxrItem]):
        self.hosts = hosts
        self.attachments = attachments
        self.images_by_attachment: dict[int, Image] = {}
        self.images_by_relpath: dict[str, Image] = {}
        self.children_by_parent: dict[int, list[int]] = {}
        self.files_by_relpath: dict[str, str] = {}  # audio, video, PDF → our URL (wordpress.files)
        for attachment in sorted(attachments.values(), key=lambda a: (a.menu_order, a.post_id)):
            if attachment.post_parent:
                self.children_by_parent.setdefault(attachment.post_parent, []).append(
                    attachment.post_id
                )

    def attachment_relpath(self, attachment: WxrItem) -> str | None:
        return attachment.meta.get("_wp_attached_file") or upload_relpath(attachment.attachment_url)

    def hold(self, image: Image, attachment_id: int | None, relpaths: list[str]) -> None:
        if attachment_id:
            self.images_by_attachment[attachment_id] = image
        for relpath in relpaths:
            self.images_by_relpath[relpath] = image

    def hold_file(self, relpath: str, url: str) -> None:
        self.files_by_relpath[relpath] = url

    # --- content.MediaLookup
    def is_upload(self, url: str) -> bool:
        host = (urlparse(url).hostname or "").lower()
        foreign = host and host not in self.hosts and host not in PHOTON_HOSTS
        if foreign and not host.endswith(".files.wordpress.com"):
            return False
        return upload_relpath(url) is not None

    def new_url(self, url: str) -> str | None:
        relpath = upload_relpath(url)
        if relpath is None:
            return None
        if relpath in self.files_by_relpath:
            return self.files_by_relpath[relpath]
        image = self.images_by_relpath.get(relpath) or self.images_by_relpath.get(
            full_size(relpath)
        )
        if image is None:
            return None
        # A dry run holds unsaved pictures: the address they would get does not matter.
        return image.file.url if image.file else f"/media/{relpath}"

    def attachment(self, attachment_id: int) -> MediaFile | None:
        image = self.images_by_attachment.get(attachment_id)
        if image is not None and image.file:
            return MediaFile(
                image.file.url, image.alt_text, image.caption, image.width, image.height
            )
        attachment = self.attachments.get(attachment_id)
        if attachment is None or not attachment.attachment_url:
            return None
        return MediaFile(
            attachment.attachment_url,
            plain_text(attachment.meta.get("_wp_attachment_image_alt", "") or attachment.title),
            plain_text(attachment.excerpt),
        )

    def children(self, post_id: int) -> list[int]:
        return self.children_by_parent.get(post_id, [])
