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

# Namespaces are matched by what the export declares, as WordPress's importer does (it reads the
# document's own prefixes): `wp` bound to http or https, WXR 1.0, 1.1 or 1.2. A URI is also
# recognised by its shape when a file binds it to an unusual prefix.
NAMESPACE_PATTERNS = {
    "wp": re.compile(r"^https?://(?:www\.)?wordpress\.(?:org|com)/export/(\d+\.\d+)/?$"),
    "excerpt": re.compile(r"^https?://(?:www\.)?wordpress\.(?:org|com)/export/\d+\.\d+/excerpt/?$"),
    "content": re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/?$"),
    "dc": re.compile(r"^https?://purl\.org/dc/elements/1\.1/?$"),
    "wfw": re.compile(r"^https?://wellformedweb\.org/CommentAPI/?$"),
}
KNOWN_PREFIXES = set(NAMESPACE_PATTERNS)
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
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


class _Namespaces:
    """URI → our prefix, learnt from the file's own declarations (iterparse "start-ns")."""

    def __init__(self) -> None:
        self.prefixes: dict[str, str] = {}
        self.declared: dict[str, str] = {}  # as written, for messages

    def declare(self, prefix: str, uri: str) -> None:
        self.declared.setdefault(prefix or "(default)", uri)
        if prefix in KNOWN_PREFIXES and uri not in self.prefixes:
            self.prefixes[uri] = prefix

    def name(self, element: Element) -> str:
        """`{https://wordpress.org/export/1.2/}post_id` → `wp:post_id`, whatever the version."""
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith("{"):
            return tag
        uri, local = tag[1:].split("}", 1)
        prefix = self.prefixes.get(uri)
        if prefix is None:
            prefix = next((p for p, rx in NAMESPACE_PATTERNS.items() if rx.match(uri)), "")
            self.prefixes[uri] = prefix
        return f"{prefix}:{local}" if prefix else tag


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _children(element: Element, names: _Namespaces) -> dict[str, Element]:
    return {names.name(child): child for child in element}


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
    names = _Namespaces()
    found = _Findings()
    parser_events = iterparse(stream, events=("start-ns", "start", "end"), forbid_dtd=True)
    try:
        for event, element in parser_events:
            if event == "start-ns":
                names.declare(*element)
                continue
            if event == "start":
                depth += 1
                if depth == 1:
                    root_name = names.name(element)
                    if root_name != "rss":
                        raise WxrError(_not_rss(element.tag, names))
                continue
            depth -= 1
            if depth != 2:  # only direct children of <channel> are records
                continue
            name = names.name(element)
            found.saw(name)
            if name == "item":
                if export.version:  # otherwise counted for the message, and read on
                    yield _item(element, names)
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
                yield _author(element, names)
            elif name in {"wp:category", "wp:tag", "wp:term"}:
                yield _term(name, element, names)
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
        raise _not_wxr(found, names, export)


class _Findings:
    """What a file that is not WXR holds, so the message can say what was found."""

    def __init__(self) -> None:
        self.items = 0
        self.other: list[str] = []

    def saw(self, name: str) -> None:
        if name == "item":
            self.items += 1
        elif ":" in name and name not in self.other and len(self.other) < 5:
            self.other.append(name)


def _not_rss(tag: str, names: _Namespaces) -> str:
    uri, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    what = {
        (ATOM_NAMESPACE, "feed"): "an Atom feed",
        ("http://www.sitemaps.org/schemas/sitemap/0.9", "urlset"): "a sitemap",
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "RDF"): "an RSS 1.0 (RDF) feed",
    }.get((uri, local), f"XML whose root is <{local}>" + (f" in {uri}" if uri else ""))
    return (
        f"This is {what}, not a WordPress export (whose root is <rss> with a <wp:wxr_version>). "
        "Export from WordPress with Tools → Export → All content."
    )


def _not_wxr(found: _Findings, names: _Namespaces, export: WxrExport) -> WxrError:
    title = f" “{export.title[:60]}”" if export.title else ""
    declared = ", ".join(f"{p}={u}" for p, u in names.declared.items()) or "none"
    return WxrError(
        f"This is an RSS feed{title} with {found.items or 'no'} item(s), but not a WordPress "
        f"export: it has no <wp:wxr_version> in the WordPress export namespace "
        f"(namespaces declared: {declared}). "
        "Export from WordPress with Tools → Export → All content."
    )


def _author(element: Element, names: _Namespaces) -> WxrAuthor:
    fields = _children(element, names)
    return WxrAuthor(
        login=_text(fields.get("wp:author_login")),
        email=_text(fields.get("wp:author_email")),
        display_name=_text(fields.get("wp:author_display_name")),
        first_name=_text(fields.get("wp:author_first_name")),
        last_name=_text(fields.get("wp:author_last_name")),
        wp_id=_int(_text(fields.get("wp:author_id"))),
    )


def _term(name: str, element: Element, names: _Namespaces) -> WxrTerm:
    fields = _children(element, names)
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


def _item(element: Element, names: _Namespaces) -> WxrItem:
    item = WxrItem()
    for child in element:
        name = names.name(child)
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
                fields = _children(child, names)
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
