"""Turn a WordPress post body into the HTML our editor writes.

The steps follow what WordPress itself does when it shows a post: Gutenberg block comments go, the
common shortcodes are expanded, YouTube/Vimeo addresses alone on a line become our click-to-load
embeds, classic (non-block) posts get `wpautop`'s paragraphs, and picture addresses under
wp-content/uploads point at our copies. The result still passes `clean_html` when it is saved.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlparse

from articles.embeds import video_embed_html, video_embed_url


@dataclass(frozen=True)
class MediaFile:
    url: str
    alt: str = ""
    caption: str = ""
    width: int = 0
    height: int = 0


class MediaLookup(Protocol):
    """What conversion needs to know about the site's uploads (see importer.MediaLibrary)."""

    def attachment(self, attachment_id: int) -> MediaFile | None: ...

    def children(self, post_id: int) -> list[int]: ...

    def is_upload(self, url: str) -> bool: ...

    def new_url(self, url: str) -> str | None: ...


@dataclass
class ConversionNotes:
    unknown_shortcodes: Counter = field(default_factory=Counter)
    dropped_blocks: Counter = field(default_factory=Counter)
    media_kept_at_old_url: set[str] = field(default_factory=set)


# --- Gutenberg ------------------------------------------------------------------------------

_BLOCK_COMMENT = re.compile(
    r"<!--\s+(/?)wp:([a-z][a-z0-9_/-]*)(?:\s+(\{.*?\}))?\s+(/?)-->\n?", re.S
)


def strip_blocks(text: str, notes: ConversionNotes) -> str:
    """Remove block delimiters, keeping the HTML between them. Self-closing blocks (latest posts,
    archives, widgets) are rendered by PHP at view time, so they leave nothing: they are listed."""

    def replace(match: re.Match) -> str:
        if match.group(4):
            notes.dropped_blocks[match.group(2)] += 1
        return ""

    return _BLOCK_COMMENT.sub(replace, text)


# --- Shortcodes -----------------------------------------------------------------------------

KNOWN_SHORTCODES = (
    "caption",
    "wp_caption",
    "embed",
    "gallery",
    "video",
    "audio",
    "youtube",
    "vimeo",
)


def _shortcode_pattern(names: tuple[str, ...]) -> re.Pattern:
    """WordPress's own get_shortcode_regex(), with Python's possessive quantifiers."""
    alternatives = "|".join(map(re.escape, names))
    return re.compile(
        r"\[(\[?)(" + alternatives + r")(?![\w-])"
        r"([^\]/]*+(?:/(?!\])[^\]/]*+)*+)"
        r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)(\]?)",
        re.S,
    )


_KNOWN = _shortcode_pattern(KNOWN_SHORTCODES)
_ATTRIBUTE = re.compile(
    r"([\w-]+)\s*=\s*\"([^\"]*)\"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'\"]+)(?:\s|$)"
    r"|\"([^\"]*)\"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"
)
# Anything that still looks like a shortcode: a closing tag, attributes, or a self-closing slash.
_LEFTOVER = re.compile(r"(?<!\[)\[/?([A-Za-z][\w-]*)(\s[^\]\[]*=[^\]\[]*|\s*/)?\](?!\])")
_CAPTION_PARTS = re.compile(r"^\s*((?:<a\s[^>]+>\s*)?<img\s[^>]+>(?:\s*</a>)?)(.*)$", re.S | re.I)


def parse_attributes(text: str) -> dict[str, str]:
    """shortcode_parse_atts(): named values by lower-case name, positional ones as "0", "1", …"""
    attributes: dict[str, str] = {}
    position = 0
    text = re.sub(r"[\u00a0\u200b]+", " ", text)
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        for name_index in (0, 2, 4):
            if groups[name_index]:
                attributes[groups[name_index].lower()] = html.unescape(groups[name_index + 1])
                break
        else:
            value = next(g for g in groups[6:] if g is not None)
            attributes[str(position)] = html.unescape(value)
            position += 1
    return attributes


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _link_paragraph(url: str, label: str = "") -> str:
    return f'<p><a href="{_attr(url)}">{html.escape(label or url)}</a></p>'


class _Held:
    """Finished HTML kept out of wpautop's way: WordPress expands shortcodes and embeds after
    wpautop, so their markup is never split into paragraphs. A block placeholder does the same."""

    _PLACEHOLDER = re.compile(r"<div wp-held-(\d+)></div>")

    def __init__(self) -> None:
        self.pieces: list[str] = []

    def __call__(self, markup: str) -> str:
        if not markup:
            return ""
        self.pieces.append(markup)
        return f"\n\n<div wp-held-{len(self.pieces) - 1}></div>\n\n"

    def restore(self, text: str) -> str:
        while self._PLACEHOLDER.search(text):
            text = self._PLACEHOLDER.sub(lambda m: self.pieces[int(m.group(1))], text)
        return text


class _Shortcodes:
    def __init__(self, media: MediaLookup, post_id: int, notes: ConversionNotes, held: _Held):
        self.media = media
        self.post_id = post_id
        self.notes = notes
        self.held = held

    def expand(self, text: str) -> str:
        return _KNOWN.sub(self._one, text)

    def _one(self, match: re.Match) -> str:
        if match.group(1) == "[" and match.group(6) == "]":
            return match.group(0)[1:-1]  # [[gallery]] is how WordPress writes a literal [gallery]
        name = match.group(2)
        attributes = parse_attributes(match.group(3) or "")
        inner = match.group(5) or ""
        handler = getattr(self, f"_{name}")
        return self.held(handler(attributes, inner).strip())

    def _caption(self, attributes: dict[str, str], inner: str) -> str:
        inner = self.expand(inner)
        parts = _CAPTION_PARTS.match(inner)
        picture, caption = (parts.group(1), parts.group(2).strip()) if parts else (inner, "")
        caption = caption or html.escape(attributes.get("caption", ""))
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f"<figure>{picture.strip()}{figcaption}</figure>"

    _wp_caption = _caption

    def _embed(self, attributes: dict[str, str], inner: str) -> str:
        url = html.unescape(inner.strip() or attributes.get("src", ""))
        return self._video_or_link(url)

    def _youtube(self, attributes: dict[str, str], inner: str) -> str:
        # Jetpack writes [youtube https://…] and [youtube=https://…].
        url = next(iter(attributes.values()), "").lstrip("=") if attributes else inner.strip()
        return self._video_or_link(url)

    def _vimeo(self, attributes: dict[str, str], inner: str) -> str:
        value = attributes.get("id") or attributes.get("0", "") or inner.strip()
        value = value.lstrip("=")
        url = f"https://vimeo.com/{value}" if value.isdigit() else value
        return self._video_or_link(url)

    def _video(self, attributes: dict[str, str], inner: str, kind: str = "Video") -> str:
        keys = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "wav", "m4a")
        url = next((attributes[key] for key in keys if attributes.get(key)), "")
        if not url:
            return ""
        if video_embed_url(url):
            return self._video_or_link(url)
        new = self.media.new_url(url) if self.media.is_upload(url) else None
        if self.media.is_upload(url) and not new:
            self.notes.media_kept_at_old_url.add(url)
        name = urlparse(url).path.rsplit("/", 1)[-1] or url
        return _link_paragraph(new or url, f"{kind}: {name}")

    def _audio(self, attributes: dict[str, str], inner: str) -> str:
        return self._video(attributes, inner, kind="Audio")

    def _gallery(self, attributes: dict[str, str], inner: str) -> str:
        ids_text = attributes.get("ids") or attributes.get("include") or ""
        ids = [int(part) for part in re.findall(r"\d+", ids_text)]
        if not ids:
            ids = self.media.children(int(attributes.get("id", self.post_id) or self.post_id))
        exclude = {int(part) for part in re.findall(r"\d+", attributes.get("exclude", ""))}
        figures = []
        for attachment_id in ids:
            if attachment_id in exclude:
                continue
            picture = self.media.attachment(attachment_id)
            if picture is None:
                continue
            size = f' width="{picture.width}" height="{picture.height}"' if picture.width else ""
            caption = (
                f"<figcaption>{html.escape(picture.caption)}</figcaption>"
                if picture.caption
                else ""
            )
            figures.append(
                f'<figure><img src="{_attr(picture.url)}" alt="{_attr(picture.alt)}"{size} '
                f'loading="lazy">{caption}</figure>'
            )
        return "\n".join(figures)

    def _video_or_link(self, url: str) -> str:
        url = url.strip()
        if not url:
            return ""
        if video_embed_url(url):
            return video_embed_html(url)
        return _link_paragraph(url)


def list_unknown_shortcodes(text: str, notes: ConversionNotes) -> None:
    """Count shortcodes we do not expand; they stay in the text, where an editor can see them."""
    closings = {name.lower() for name in re.findall(r"\[/([A-Za-z][\w-]*)\]", text)}
    for match in _LEFTOVER.finditer(text):
        name = match.group(1).lower()
        if match.group(0).startswith("[/"):
            continue
        if match.group(2) or name in closings:
            notes.unknown_shortcodes[name] += 1


# --- Addresses alone on a line ---------------------------------------------------------------

_LONE_URL = re.compile(r"^[ \t]*(?:<p>)?[ \t]*(https?://[^\s<>\"']+)[ \t]*(?:</p>)?[ \t]*$", re.M)


def embed_lone_urls(text: str, held: _Held) -> str:
    """WordPress turns an address alone on a line into an oEmbed: videos become our player box,
    anything else a plain link (we do not fetch third-party embeds)."""

    def replace(match: re.Match) -> str:
        url = html.unescape(match.group(1))
        if video_embed_url(url):
            return held(video_embed_html(url))
        return held(_link_paragraph(url))

    return _LONE_URL.sub(replace, text)


# --- wpautop ---------------------------------------------------------------------------------

_ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map"
    r"|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside"
    r"|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)


def wpautop(text: str, br: bool = True) -> str:
    """A port of WordPress's wpautop(): blank lines make paragraphs, single line breaks make <br>,
    except inside and around block elements and <pre>."""
    if not text.strip():
        return ""
    saved: list[str] = []

    def keep(match: re.Match) -> str:
        saved.append(match.group(0))
        return f"<pre wp-pre-tag-{len(saved) - 1}></pre>"

    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    text = _PRE.sub(keep, text)
    # Line breaks inside a tag are not paragraph breaks.
    text = _TAG.sub(lambda m: m.group(0).replace("\n", " "), text)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    text = re.sub(r"(<" + _ALL_BLOCKS + r"[\s/>])", r"\n\n\1", text, flags=re.I)
    text = re.sub(r"(</" + _ALL_BLOCKS + r">)", r"\1\n\n", text, flags=re.I)
    text = re.sub(r"<hr\s*?/?>", "<hr>\n\n", text, flags=re.I)
    text = re.sub(r"\s*<option", "<option", text)
    text = re.sub(r"</option>\s*", "</option>", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
    text = "".join(f"<p>{part.strip(chr(10))}</p>\n" for part in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text, flags=re.I)
    text = re.sub(r"<p>\s*(</?" + _ALL_BLOCKS + r"[^>]*>)\s*</p>", r"\1", text, flags=re.I)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text, flags=re.I)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + _ALL_BLOCKS + r"[^>]*>)", r"\1", text, flags=re.I)
    text = re.sub(r"(</?" + _ALL_BLOCKS + r"[^>]*>)\s*</p>", r"\1", text, flags=re.I)
    if br:
        text = re.sub(r"<br\s*/?>", "<br>", text, flags=re.I)
        text = re.sub(r"(?<!<br>)\s*\n", "<br>\n", text)
    text = re.sub(r"(</?" + _ALL_BLOCKS + r"[^>]*>)\s*<br>", r"\1", text, flags=re.I)
    text = re.sub(
        r"<br>(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.I
    )
    text = re.sub(r"\n</p>$", "</p>", text)
    text = re.sub(r"<pre wp-pre-tag-(\d+)></pre>", lambda m: saved[int(m.group(1))], text)
    return text.strip()


# --- Uploads ---------------------------------------------------------------------------------

_MEDIA_TAG = re.compile(r"<(img|a|source)\b[^>]*>", re.I | re.S)
_URL_ATTRIBUTE = re.compile(r"""(\s(?:src|href)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_RESPONSIVE_ATTRIBUTE = re.compile(r"""\s(?:srcset|sizes)\s*=\s*(["']).*?\1""", re.I | re.S)


def rewrite_uploads(text: str, media: MediaLookup, notes: ConversionNotes) -> str:
    """Point <img src> and <a href> at our copies of uploaded files; list the ones we do not have.

    srcset/sizes on old pictures name the old site's resized copies, so they go."""

    def tag(match: re.Match) -> str:
        element = match.group(0)
        touched = False

        def attribute(attr: re.Match) -> str:
            nonlocal touched
            url = html.unescape(attr.group(3)).strip()
            if not media.is_upload(url):
                return attr.group(0)
            touched = True
            new = media.new_url(url)
            if new is None:
                if match.group(1).lower() == "img":
                    notes.media_kept_at_old_url.add(url)
                return attr.group(0)
            return f"{attr.group(1)}{attr.group(2)}{_attr(new)}{attr.group(2)}"

        element = _URL_ATTRIBUTE.sub(attribute, element)
        if touched and match.group(1).lower() == "img":
            element = _RESPONSIVE_ATTRIBUTE.sub("", element)
        return element

    return _MEDIA_TAG.sub(tag, text)


def convert_body(raw: str, *, media: MediaLookup, post_id: int = 0) -> tuple[str, ConversionNotes]:
    """The whole conversion; the result is ready for Article.body (which sanitises on save)."""
    notes = ConversionNotes()
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    has_blocks = "<!-- wp:" in text
    if has_blocks:
        text = strip_blocks(text, notes)
    held = _Held()
    text = _Shortcodes(media, post_id, notes, held).expand(text)
    list_unknown_shortcodes(text, notes)
    text = embed_lone_urls(text, held)
    if not has_blocks:  # WordPress skips wpautop for block content too
        text = wpautop(text)
    text = held.restore(text)
    text = rewrite_uploads(text, media, notes)
    return text.strip(), notes


def upload_urls(raw: str) -> list[str]:
    """Every src/href in `raw`, for the importer's first pass (which pictures to copy)."""
    return [html.unescape(m.group(3)).strip() for m in _URL_ATTRIBUTE.finditer(raw or "")]


def attachment_ids(raw: str) -> set[int]:
    """Attachments a body refers to by id: class="wp-image-12" and [gallery ids="1,2"]."""
    ids = {int(i) for i in re.findall(r"wp-image-(\d+)", raw or "")}
    for match in re.finditer(r"\[gallery\b[^\]]*?(?:ids|include)=[\"']?([\d,\s]+)", raw or ""):
        ids.update(int(i) for i in re.findall(r"\d+", match.group(1)))
    return ids
