"""Read a WordPress eXtended RSS file (WXR 1.0–1.2) into plain records, streaming.

The XML goes through defusedxml: a DTD, entity declarations or external references make the file
invalid (WordPress never writes them), so "billion laughs" and XXE files are refused, not expanded.
Elements are cleared as soon as they are read, so memory follows the records, not the XML tree.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

WP_NAMESPACE = re.compile(r"^http://wordpress\.org/export/(\d+\.\d+)/$")
EXCERPT_NAMESPACE = re.compile(r"^http://wordpress\.org/export/\d+\.\d+/excerpt/$")
NAMESPACE_PREFIXES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}

# Control characters XML 1.0 forbids. Old WordPress exports sometimes carry them (pasted from
# word processors); they never occur inside a multi-byte UTF-8 sequence, so removing the bytes is safe.
_FORBIDDEN_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))
_DELETE_FORBIDDEN = bytes.maketrans(b"", b"")


class WxrError(Exception):
    """The file cannot be read as a WordPress export; the message says why, for a person."""


@dataclass
class WxrAuthor:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    wp_id: int | None = None


@dataclass
class WxrTerm:
    """A category, tag or other term (nav menus, formats)."""

    taxonomy: str
    slug: str
    name: str
    term_id: int | None = None
    parent_slug: str = ""
    description: str = ""


@dataclass
class WxrItem:
    """One <item>: a post, page, attachment, menu item or any other post type."""

    post_id: int | None = None
    post_type: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_name: str = ""
    status: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_parent: int = 0
    menu_order: int = 0
    is_sticky: bool = False
    password: str = ""
    attachment_url: str = ""
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, nicename, name)
    meta: dict[str, str] = field(default_factory=dict)
    old_slugs: list[str] = field(default_factory=list)  # WordPress keeps them to redirect from
    comment_count: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.post_type or 'item'} {self.post_id or '?'} “{self.title[:60]}”"


@dataclass
class WxrExport:
    version: str = ""
    title: str = ""
    description: str = ""
    site_url: str = ""
    blog_url: str = ""
    authors: list[WxrAuthor] = field(default_factory=list)
    terms: list[WxrTerm] = field(default_factory=list)
    items: list[WxrItem] = field(default_factory=list)
    removed_control_characters: int = 0


class _CleanStream:
    """A binary reader that drops the control characters XML forbids, and counts them."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.removed = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        cleaned = chunk.translate(_DELETE_FORBIDDEN, _FORBIDDEN_BYTES)
        self.removed += len(chunk) - len(cleaned)
        return cleaned


def _name(element: Element) -> str:
    """`{http://wordpress.org/export/1.2/}post_id` → `wp:post_id`, whatever the WXR version."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if WP_NAMESPACE.match(uri):
        return f"wp:{local}"
    if EXCERPT_NAMESPACE.match(uri):
        return f"excerpt:{local}"
    prefix = NAMESPACE_PREFIXES.get(uri)
    return f"{prefix}:{local}" if prefix else tag


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _children(element: Element) -> dict[str, Element]:
    return {_name(child): child for child in element}


def _int(value: str, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def parse_wxr(path: str | Path) -> WxrExport:
    """Read the whole export into records. Raises WxrError with a readable reason."""
    export = WxrExport()
    try:
        with open(path, "rb") as raw:
            stream = _CleanStream(raw)
            for record in _records(stream, export):
                if isinstance(record, WxrItem):
                    export.items.append(record)
                elif isinstance(record, WxrAuthor):
                    export.authors.append(record)
                else:
                    export.terms.append(record)
            export.removed_control_characters = stream.removed
    except OSError as error:
        raise WxrError(f"Cannot read {path}: {error.strerror or error}.") from error
    return export


def _records(stream: _CleanStream, export: WxrExport) -> Iterator[WxrItem | WxrAuthor | WxrTerm]:
    depth = 0
    root_name = ""
    parser_events = iterparse(stream, events=("start", "end"), forbid_dtd=True)
    try:
        for event, element in parser_events:
            if event == "start":
                depth += 1
                if depth == 1:
                    root_name = _name(element)
                    if root_name != "rss":
                        raise WxrError(
                            f"This is XML, but not a WordPress export: its root is <{root_name}>, "
                            "not <rss>. Export from WordPress with Tools → Export → All content."
                        )
                continue
            depth -= 1
            if depth != 2:  # only direct children of <channel> are records
                continue
            name = _name(element)
            if name == "item":
                if not export.version:
                    raise _not_wxr()
                yield _item(element)
            elif name == "wp:wxr_version":
                export.version = _text(element)
            elif name == "title":
                export.title = _text(element)
            elif name == "description":
                export.description = _text(element)
            elif name == "wp:base_site_url":
                export.site_url = _text(element)
            elif name == "wp:base_blog_url":
                export.blog_url = _text(element)
            elif name == "wp:author":
                yield _author(element)
            elif name in {"wp:category", "wp:tag", "wp:term"}:
                yield _term(name, element)
            element.clear()
    except DefusedXmlException as error:
        raise WxrError(
            "The file declares a DTD or entities, which WordPress exports never do; it was refused "
            f"for safety ({type(error).__name__})."
        ) from error
    except ParseError as error:
        line, column = error.position
        message = str(error).split(":")[0]
        if message in {"no element found", "unclosed token"}:
            raise WxrError(
                f"The file ends early (line {line}): it looks truncated. Nothing was imported; "
                "export again or copy the whole file."
            ) from error
        if line == 1 and depth == 0:
            raise WxrError(
                f"This file is not XML ({message} at line 1, column {column}). "
                "A WordPress export is an .xml file from Tools → Export."
            ) from error
        raise WxrError(
            f"The XML is broken at line {line}, column {column} ({message}). Nothing was imported."
        ) from error
    if not root_name:
        raise WxrError("The file is empty.")
    if not export.version:
        raise _not_wxr()


def _not_wxr() -> WxrError:
    return WxrError(
        "This is RSS, but not a WordPress export: it has no <wp:wxr_version>. "
        "Export from WordPress with Tools → Export → All content."
    )


def _author(element: Element) -> WxrAuthor:
    fields = _children(element)
    return WxrAuthor(
        login=_text(fields.get("wp:author_login")),
        email=_text(fields.get("wp:author_email")),
        display_name=_text(fields.get("wp:author_display_name")),
        first_name=_text(fields.get("wp:author_first_name")),
        last_name=_text(fields.get("wp:author_last_name")),
        wp_id=_int(_text(fields.get("wp:author_id"))),
    )


def _term(name: str, element: Element) -> WxrTerm:
    fields = _children(element)
    get = lambda key: _text(fields.get(key))  # noqa: E731
    if name == "wp:category":
        return WxrTerm(
            "category",
            slug=get("wp:category_nicename"),
            name=get("wp:cat_name"),
            term_id=_int(get("wp:term_id")),
            parent_slug=get("wp:category_parent"),
            description=get("wp:category_description"),
        )
    if name == "wp:tag":
        return WxrTerm(
            "post_tag",
            slug=get("wp:tag_slug"),
            name=get("wp:tag_name"),
            term_id=_int(get("wp:term_id")),
            description=get("wp:tag_description"),
        )
    return WxrTerm(
        get("wp:term_taxonomy"),
        slug=get("wp:term_slug"),
        name=get("wp:term_name"),
        term_id=_int(get("wp:term_id")),
        parent_slug=get("wp:term_parent"),
        description=get("wp:term_description"),
    )


def _item(element: Element) -> WxrItem:
    item = WxrItem()
    for child in element:
        name = _name(child)
        text = child.text or ""
        match name:
            case "title":
                item.title = text.strip()
            case "link":
                item.link = text.strip()
            case "guid":
                item.guid = text.strip()
            case "dc:creator":
                item.creator = text.strip()
            case "content:encoded":
                item.content = text
            case "excerpt:encoded":
                item.excerpt = text
            case "wp:post_id":
                item.post_id = _int(text.strip())
                if item.post_id is None or item.post_id <= 0:
                    item.problems.append(f"its wp:post_id “{text.strip()[:20]}” is not a number")
                    item.post_id = None
            case "wp:post_type":
                item.post_type = text.strip()
            case "wp:post_name":
                item.post_name = text.strip()
            case "wp:status":
                item.status = text.strip()
            case "wp:post_date":
                item.post_date = text.strip()
            case "wp:post_date_gmt":
                item.post_date_gmt = text.strip()
            case "wp:post_parent":
                item.post_parent = _int(text.strip(), 0) or 0
            case "wp:menu_order":
                item.menu_order = _int(text.strip(), 0) or 0
            case "wp:is_sticky":
                item.is_sticky = text.strip() == "1"
            case "wp:post_password":
                item.password = text.strip()
            case "wp:attachment_url":
                item.attachment_url = text.strip()
            case "category":
                item.terms.append(
                    (child.get("domain", ""), child.get("nicename", ""), text.strip())
                )
            case "wp:postmeta":
                fields = _children(child)
                key = _text(fields.get("wp:meta_key"))
                if key == "_wp_old_slug":
                    item.old_slugs.append(_text(fields.get("wp:meta_value")))
                elif key:
                    item.meta[key] = (
                        (fields["wp:meta_value"].text or "") if "wp:meta_value" in fields else ""
                    )
            case "wp:comment":
                item.comment_count += 1
    if item.post_id is None and not item.problems:
        item.problems.append("it has no wp:post_id")
    return item
