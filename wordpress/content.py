"""Turn a WordPress post body into the HTML our editor writes.

The steps follow what WordPress itself does when it shows a post: Gutenberg block comments go, the
common shortcodes are expanded, YouTube/Vimeo addresses alone on a line become our click-to-load
embeds, classic (non-block) posts get `wpautop`'s paragraphs, and picture addresses under
wp-content/uploads point at our copies. The result still passes `clean_html` when it is saved.
"""

import html
import json
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
    unconverted: list[str] = field(default_factory=list)  # shortcodes kept as links or text
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


_BLOCK_GALLERY = re.compile(
    r"<!--\s+wp:gallery(?:\s+(\{.*?\}))?\s+-->(.*?)<!--\s+/wp:gallery\s+-->", re.S
)
_IMG = re.compile(r"<img\b[^>]*>", re.I | re.S)
_FIGCAPTION = re.compile(r"<figcaption\b([^>]*)>(.*?)</figcaption>", re.I | re.S)
_HTML_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.S)


def _attributes_of(tag: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
        for m in _HTML_ATTRIBUTE.finditer(tag)
    }


def convert_block_galleries(text: str, media: "MediaLookup", held: "_Held") -> str:
    """The block editor's gallery (both its <ul> and nested-image forms) → our grid."""

    def replace(match: re.Match) -> str:
        try:
            settings = json.loads(match.group(1) or "{}")
        except ValueError:
            settings = {}
        inner = match.group(2)
        captions = list(_FIGCAPTION.finditer(inner))
        whole = next(
            (c.group(2).strip() for c in captions if "blocks-gallery-caption" in c.group(1)), ""
        )
        pictures, images = [], list(_IMG.finditer(inner))
        for number, image in enumerate(images):
            attributes = _attributes_of(image.group(0))
            end = images[number + 1].start() if number + 1 < len(images) else len(inner)
            own = next(
                (
                    c
                    for c in captions
                    if image.end() <= c.start() < end and "blocks-gallery-caption" not in c.group(1)
                ),
                None,
            )
            found = re.search(r"wp-image-(\d+)", attributes.get("class", "")) or re.search(
                r"^(\d+)$", attributes.get("data-id", "")
            )
            known = media.attachment(int(found.group(1))) if found else None
            caption = html.unescape(re.sub(r"<[^>]+>", "", own.group(2))).strip() if own else ""
            pictures.append(
                MediaFile(
                    known.url if known else attributes.get("src", ""),
                    attributes.get("alt", "") or (known.alt if known else ""),
                    caption or (known.caption if known else ""),
                    known.width if known else 0,
                    known.height if known else 0,
                )
            )
        columns = settings.get("columns") or min(len(pictures), GALLERY_COLUMNS_DEFAULT)
        linked = settings.get("linkTo") in {"media", "file", "attachment"} or "<a " in inner
        return held(
            gallery_html(
                [p for p in pictures if p.url], columns=int(columns), linked=linked, caption=whole
            )
        )

    return _BLOCK_GALLERY.sub(replace, text)


_MEDIA_FIGURE = re.compile(
    r"<figure\b[^>]*class=\"[^\"]*wp-block-(audio|video)[^\"]*\"[^>]*>(.*?)</figure>", re.I | re.S
)
_MEDIA_SOURCE = re.compile(r"<(?:audio|video|source)\b[^>]*?\ssrc=\"([^\"]+)\"", re.I | re.S)


def convert_media_figures(text: str, held: "_Held", notes: ConversionNotes) -> str:
    """The block editor's audio and video → our player with its download link and caption."""

    def replace(match: re.Match) -> str:
        urls = [html.unescape(u) for u in _MEDIA_SOURCE.findall(match.group(2))]
        if not urls:
            return match.group(0)
        caption = _FIGCAPTION.search(match.group(2))
        poster = re.search(r'\sposter="([^"]+)"', match.group(2))
        return held(
            media_player(
                match.group(1).lower(),
                list(dict.fromkeys(urls)),
                poster=html.unescape(poster.group(1)) if poster else "",
                caption=caption.group(2).strip() if caption else "",
                notes=notes,
            )
        )

    return _MEDIA_FIGURE.sub(replace, text)


_MORE = re.compile(r"<!--more(?:\s[^>]*?)?-->", re.I)
_NEXTPAGE = re.compile(r"\s*<!--nextpage-->\s*", re.I)


def mark_pages(text: str, held: "_Held", post_id: int) -> str:
    """`<!--more-->` → WordPress's own anchor, `<span id="more-ID">` (where the teaser ends;
    Article.summary reads it), never an empty paragraph; `<!--nextpage-->` → a visible break
    between the parts, all kept in order on one page."""
    text = _NEXTPAGE.sub(lambda m: held('<hr class="page-break">'), text)
    first = True

    def more(match: re.Match) -> str:
        nonlocal first
        if not first:
            return ""
        first = False
        return held(f'<span id="more-{post_id or 0}"></span>')

    return _MORE.sub(more, text)


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
    "playlist",
)
AUDIO_EXTENSIONS = ("mp3", "ogg", "oga", "wav", "m4a", "flac", "aac", "opus", "wma")
VIDEO_EXTENSIONS = ("mp4", "m4v", "webm", "ogv", "mov", "wmv", "flv")
PLAYABLE = {"mp3", "ogg", "oga", "wav", "m4a", "flac", "aac", "opus", "mp4", "m4v", "webm", "ogv"}
MIME_TYPES = {
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "wav": "audio/wav",
    "m4a": "audio/mp4",
    "flac": "audio/flac",
    "aac": "audio/aac",
    "opus": "audio/ogg",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
}
# WordPress's image sizes → how wide a gallery picture is shown, for `sizes`.
GALLERY_COLUMNS_DEFAULT = 3


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


def _file_name(url: str) -> str:
    return urlparse(url).path.rsplit("/", 1)[-1] or url


def media_player(
    kind: str, urls: list[str], *, poster: str = "", caption: str = "", notes: ConversionNotes
) -> str:
    """An <audio>/<video controls> for the formats a browser plays, with a download link to the
    first file (the way to listen when the player cannot). Other formats stay a visible link."""
    playable = [u for u in urls if _extension(u) in PLAYABLE]
    download = (
        f'<a class="media__download" href="{_attr(urls[0])}">'
        f"Download {kind}: {html.escape(_file_name(urls[0]))}</a>"
    )
    if not playable:
        notes.unconverted.append(f"[{kind}] in a format browsers do not play, kept as a link")
        return f"<p>{download}</p>"
    sources = "".join(
        f'<source src="{_attr(u)}" type="{MIME_TYPES[_extension(u)]}">' for u in playable
    )
    extra = f' poster="{_attr(poster)}"' if poster and kind == "video" else ""
    preload = "metadata" if kind == "video" else "none"
    player = f'<{kind} controls preload="{preload}"{extra}>{sources}{download}</{kind}>'
    caption_html = (
        f"<figcaption>{caption} · {download}</figcaption>"
        if caption
        else (f"<figcaption>{download}</figcaption>")
    )
    return f'<figure class="media media--{kind}">{player}{caption_html}</figure>'


def _extension(url: str) -> str:
    return urlparse(url).path.rsplit(".", 1)[-1].lower() if "." in urlparse(url).path else ""


def gallery_html(
    pictures: list[MediaFile], *, columns: int, linked: bool = True, caption: str = ""
) -> str:
    """One responsive grid (site.css: `columns` across on wide screens, two on phones) of
    pictures with their captions, each linked to the full-size picture."""
    if not pictures:
        return ""
    columns = min(max(columns, 1), 9)
    sizes = f"(min-width: 960px) {700 // columns}px, {100 // min(columns, 2)}vw"
    figures = []
    for picture in pictures:
        size = f' width="{picture.width}" height="{picture.height}"' if picture.width else ""
        image = (
            f'<img src="{_attr(picture.url)}" alt="{_attr(picture.alt)}"{size} '
            f'sizes="{sizes}" loading="lazy">'
        )
        if linked:
            image = f'<a href="{_attr(picture.url)}">{image}</a>'
        own = f"<figcaption>{html.escape(picture.caption)}</figcaption>" if picture.caption else ""
        figures.append(f'<figure class="gallery__item">{image}{own}</figure>')
    whole = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="gallery gallery--columns-{columns}">{"".join(figures)}{whole}</figure>'


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
        if name in {"audio", "video"} and f"[{name}" in inner:
            # "[audio src=a.mp3] … [audio mp3=b.mp3][/audio]": the first one never closed, so the
            # pattern ran to the second one's closing tag. Both become players.
            return self.held(handler(attributes, "").strip()) + self.expand(f"{inner}[/{name}]")
        return self.held(handler(attributes, inner).strip())

    def _caption(self, attributes: dict[str, str], inner: str) -> str:
        inner = self.expand(inner)
        parts = _CAPTION_PARTS.match(inner)
        picture, caption = (parts.group(1), parts.group(2).strip()) if parts else (inner, "")
        caption = caption or html.escape(attributes.get("caption", ""))
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        align = attributes.get("align", "").strip().lower()
        # [caption align="alignleft"]: the figure floats, as WordPress's .wp-caption did.
        css = f' class="{align}"' if align in {"alignleft", "alignright", "aligncenter"} else ""
        return f"<figure{css}>{picture.strip()}{figcaption}</figure>"

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

    def _video(self, attributes: dict[str, str], inner: str, kind: str = "video") -> str:
        """[video]/[audio] in the forms WordPress accepts: src=, one attribute per format
        (mp3=, ogg=, mp4=, …), a bare address ([audio https://…]) or one between the tags."""
        keys = ("src", *AUDIO_EXTENSIONS, *VIDEO_EXTENSIONS)
        urls = [attributes[key] for key in keys if attributes.get(key, "").strip()]
        urls += [v for k, v in attributes.items() if k.isdigit() and v.startswith("http")]
        if not urls and inner.strip().startswith("http"):
            urls = [inner.strip()]
        urls = list(dict.fromkeys(url.strip() for url in urls))
        if not urls:
            self.notes.unconverted.append(f"[{kind}] with no media address, kept as text")
            written = "".join(f" {key}={value}" for key, value in attributes.items())
            return f"<p>{html.escape(f'[{kind}{written}]')}</p>"
        if kind == "video" and video_embed_url(urls[0]):
            return self._video_or_link(urls[0])
        return media_player(
            kind,
            [self._our_url(url) for url in urls],
            poster=self._our_url(attributes.get("poster", "")),
            notes=self.notes,
        )

    def _audio(self, attributes: dict[str, str], inner: str) -> str:
        return self._video(attributes, inner, kind="audio")

    def _playlist(self, attributes: dict[str, str], inner: str) -> str:
        """No player for lists here: each file becomes a link, and the report says so."""
        ids = [int(part) for part in re.findall(r"\d+", attributes.get("ids", ""))]
        files = [self.media.attachment(i) for i in ids]
        links = [f.url for f in files if f is not None]
        self.notes.unconverted.append(f"[playlist] of {len(ids)} files, kept as links")
        if not links:
            return html.escape("[playlist]")
        items = "".join(
            f'<li><a href="{_attr(url)}">{html.escape(_file_name(url))}</a></li>' for url in links
        )
        return f"<ul>{items}</ul>"

    def _our_url(self, url: str) -> str:
        url = html.unescape(url or "").strip()
        if not url or not self.media.is_upload(url):
            return url
        new = self.media.new_url(url)
        if new is None:
            self.notes.media_kept_at_old_url.add(url)
        return new or url

    def _gallery(self, attributes: dict[str, str], inner: str) -> str:
        ids_text = attributes.get("ids") or attributes.get("include") or ""
        ids = [int(part) for part in re.findall(r"\d+", ids_text)]
        if not ids:
            ids = self.media.children(int(attributes.get("id", self.post_id) or self.post_id))
        exclude = {int(part) for part in re.findall(r"\d+", attributes.get("exclude", ""))}
        pictures = [
            picture
            for attachment_id in ids
            if attachment_id not in exclude
            and (picture := self.media.attachment(attachment_id)) is not None
        ]
        columns = attributes.get("columns", "")
        return gallery_html(
            pictures,
            columns=int(columns) if columns.isdigit() else GALLERY_COLUMNS_DEFAULT,
            linked=attributes.get("link", "") != "none",
        )

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


def embed_lone_urls(text: str, held: _Held, notes: ConversionNotes) -> str:
    """WordPress turns an address alone on a line into an oEmbed: videos become our player box,
    anything else a plain link (we do not fetch third-party embeds)."""

    def replace(match: re.Match) -> str:
        url = html.unescape(match.group(1))
        if video_embed_url(url):
            return held(video_embed_html(url))
        extension = _extension(url)
        if extension in AUDIO_EXTENSIONS or extension in VIDEO_EXTENSIONS:
            # wp_embed_handler_audio/_video: a media address alone on a line is a player.
            kind = "audio" if extension in AUDIO_EXTENSIONS else "video"
            return held(media_player(kind, [url], notes=notes))
        return held(_link_paragraph(url))

    return _LONE_URL.sub(replace, text)


# --- wpautop ---------------------------------------------------------------------------------

_ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map"
    r"|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside"
    r"|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|center)"
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

_MEDIA_TAG = re.compile(r"<(img|a|source|audio|video)\b[^>]*>", re.I | re.S)
_URL_ATTRIBUTE = re.compile(r"""(\s(?:src|href|poster)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_SRCSET = re.compile(r"""(\ssrcset\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_RESPONSIVE_ATTRIBUTE = re.compile(r"""\s(?:srcset|sizes)\s*=\s*(["']).*?\1""", re.I | re.S)


def rewrite_uploads(text: str, media: MediaLookup, notes: ConversionNotes) -> str:
    """Point src, href, poster and srcset at our copies of uploaded files (any resized copy,
    `photo-300x200.jpg`, leads to our `photo.jpg`); list the ones we do not have.

    An <img> now showing our copy loses the old srcset/sizes: Article.save gives it ours."""

    def tag(match: re.Match) -> str:
        element = match.group(0)
        replaced = False

        def attribute(attr: re.Match) -> str:
            nonlocal replaced
            url = html.unescape(attr.group(3)).strip()
            if not media.is_upload(url):
                return attr.group(0)
            new = media.new_url(url)
            if new is None:
                if match.group(1).lower() != "a":
                    notes.media_kept_at_old_url.add(url)
                return attr.group(0)
            replaced = True
            return f"{attr.group(1)}{attr.group(2)}{_attr(new)}{attr.group(2)}"

        def srcset(attr: re.Match) -> str:
            candidates = []
            for candidate in html.unescape(attr.group(3)).split(","):
                url, _, descriptor = candidate.strip().partition(" ")
                new = media.new_url(url) if url and media.is_upload(url) else None
                candidates.append(f"{new or url} {descriptor}".strip())
            return f'{attr.group(1)}"{_attr(", ".join(candidates))}"'

        element = _URL_ATTRIBUTE.sub(attribute, element)
        if replaced and match.group(1).lower() == "img":
            element = _RESPONSIVE_ATTRIBUTE.sub("", element)
        else:
            element = _SRCSET.sub(srcset, element)
        return element

    return _MEDIA_TAG.sub(tag, text)


def convert_body(raw: str, *, media: MediaLookup, post_id: int = 0) -> tuple[str, ConversionNotes]:
    """The whole conversion; the result is ready for Article.body (which sanitises on save)."""
    notes = ConversionNotes()
    text = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    has_blocks = "<!-- wp:" in text
    held = _Held()
    if has_blocks:
        text = convert_block_galleries(text, media, held)
        text = strip_blocks(text, notes)
    text = convert_media_figures(text, held, notes)
    text = mark_pages(text, held, post_id)
    text = _Shortcodes(media, post_id, notes, held).expand(text)
    list_unknown_shortcodes(text, notes)
    text = embed_lone_urls(text, held, notes)
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
