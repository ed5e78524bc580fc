"""The one HTML allow-list: every body that reaches a reader passes through `clean_html`.

Before the allow-list, `modernise` rewrites what older editors (WordPress's classic editor, pasted
word-processor HTML) write into what we keep: `h1` becomes `h2` (the page has its own `h1`),
obsolete tags become their modern equivalents, and WordPress's alignment classes and
`style="text-align:…"` become our own classes (static/css/site.css). No other inline style, and
no class outside `ALLOWED_CLASSES`, survives.
"""

import re
from html import unescape

import nh3

from articles.embeds import PLAYER_PREFIXES, video_embed_html, video_embed_url

ALLOWED_TAGS = {
    *("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "div", "span", "address"),
    *("strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark"),
    *("abbr", "cite", "q", "code", "kbd", "var", "samp", "pre", "blockquote"),
    *("a", "ul", "ol", "li", "dl", "dt", "dd", "details", "summary"),
    *("figure", "figcaption", "img", "audio", "video", "source"),
    *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title", "loading", "srcset", "sizes"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "controls", "preload", "poster", "width", "height", "playsinline"},
    "source": {"src", "type"},
    "abbr": {"title"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "details": {"open"},
    "div": {"data-embed-src", "data-embed-title"},
    "span": {"id"},  # only WordPress's read-more anchor, see _filter_attribute
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Our own presentation classes (static/css/site.css), the only classes a body keeps.
ALIGN_CLASSES = {"align-left", "align-right", "align-center", "align-wide", "align-full"}
TEXT_ALIGN_CLASSES = {"text-left", "text-right", "text-center", "text-justify"}
# How a picture sits beside the text, as the editor's picture dialog (articles.body_pictures)
# offers it: a class on <figure>, laid out by site.css and admin.css.
FIGURE_ALIGNMENTS = {
    "left": "align-left",
    "right": "align-right",
    "center": "align-center",
    "wide": "align-wide",
}
# Floats and widths belong to boxes (pictures, tables, blocks); text alignment to text blocks.
_BOXES = ("figure", "img", "div", "table")
_TEXT_BLOCKS = ("p", "div", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "td", "th", "address")
ALLOWED_CLASSES: dict[str, set[str]] = {}
for _tag in (*_BOXES, *_TEXT_BLOCKS):  # each tag its own set: some add to theirs below
    ALLOWED_CLASSES[_tag] = (ALIGN_CLASSES if _tag in _BOXES else set()) | (
        TEXT_ALIGN_CLASSES if _tag in _TEXT_BLOCKS else set()
    )
# Galleries and media players written by the WordPress import (wordpress.content).
ALLOWED_CLASSES["figure"] |= {"gallery", "gallery__item", "media", "media--audio", "media--video"}
ALLOWED_CLASSES["figure"] |= {f"gallery--columns-{n}" for n in range(1, 10)}
ALLOWED_CLASSES["figure"] |= set(FIGURE_ALIGNMENTS.values())
ALLOWED_CLASSES["a"] = {"media__download", "video-embed__load"}
ALLOWED_CLASSES["hr"] = {"page-break"}
ALLOWED_CLASSES["span"] = {"text-larger", "video-embed__note"}
# Click-to-load video boxes (articles.embeds): the player address must be one our CSP frames.
ALLOWED_CLASSES["div"] |= {"video-embed"}

# WordPress classes (classic and block editor) → ours.
WORDPRESS_CLASSES = {
    "alignleft": "align-left",
    "alignright": "align-right",
    "aligncenter": "align-center",
    "alignwide": "align-wide",
    "alignfull": "align-full",
    "has-text-align-left": "text-left",
    "has-text-align-right": "text-right",
    "has-text-align-center": "text-center",
    "has-text-align-justify": "text-justify",
}
# srcset candidates: a URL (control characters dropped, as browsers do) and a descriptor.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
_DESCRIPTOR = re.compile(r"\d+(?:\.\d+)?[wx]")
# Obsolete tags → (modern tag, class it takes or "").
OBSOLETE_TAGS = {
    "h1": ("h2", ""),
    "big": ("span", "text-larger"),
    "tt": ("code", ""),
    "acronym": ("abbr", ""),
    "strike": ("s", ""),
    "center": ("div", "text-center"),
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_CLASS = re.compile(r"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_STYLE = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(left|right|center|justify)", re.I)
_ALIGN_ATTRIBUTE = re.compile(r"""\salign\s*=\s*["']?(left|right|center|middle)""", re.I)
_MORE_ANCHOR = re.compile(r"^more-\d+$")


def _allowed_url(url: str) -> bool:
    """The rule nh3 applies to src and href: an http(s) address or a relative one. Browsers drop
    tabs and newlines inside a URL before reading its scheme, so those are dropped here too."""
    cleaned = _URL_NOISE.sub("", url)
    scheme = cleaned.split(":", 1)[0].lower() if ":" in cleaned.split("/", 1)[0] else ""
    return scheme in {"", "http", "https"}


def _sanitized_srcset(value: str) -> str | None:
    """`srcset` is a list of "URL descriptor" candidates: keep those whose URL `src` would keep."""
    kept = []
    for candidate in value.split(","):
        if not candidate.strip():
            continue
        url, *descriptors = candidate.split()
        if _allowed_url(url) and all(_DESCRIPTOR.fullmatch(d) for d in descriptors):
            kept.append(" ".join([url, *descriptors]))
    return ", ".join(kept) or None


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "data-embed-src" and not value.startswith(PLAYER_PREFIXES):
        return None
    if attribute == "srcset":
        return _sanitized_srcset(value)
    if attribute == "title" and not value.strip():
        return None  # the editor's link dialog sends title="" when left empty
    if tag == "span" and attribute == "id" and not _MORE_ANCHOR.match(value):
        return None
    return value


def _modern_tag(match: re.Match) -> str:
    closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
    new_name, extra_class = OBSOLETE_TAGS.get(name, (name, ""))
    if closing:
        return f"</{new_name}>"
    classes = [extra_class] if extra_class else []
    found = _CLASS.search(attributes)
    if found:
        for token in next(g for g in found.groups() if g is not None).split():
            classes.append(WORDPRESS_CLASSES.get(token, token))
        attributes = attributes[: found.start()] + attributes[found.end() :]
    style = _STYLE.search(attributes)
    if style:
        align = _TEXT_ALIGN.search(next(g for g in style.groups() if g is not None))
        if align:
            classes.append(f"text-{align.group(1).lower()}")
        attributes = attributes[: style.start()] + attributes[style.end() :]
    align = _ALIGN_ATTRIBUTE.search(attributes)
    if align and new_name in {*_BOXES, *_TEXT_BLOCKS}:  # <img align="left">, <p align="center">
        side = align.group(1).lower()
        classes.append(
            ("align-" if new_name == "img" else "text-") + ("center" if side == "middle" else side)
        )
    # Only the classes this tag may keep: the allow-list would leave an empty class="" behind.
    classes = [token for token in classes if token in ALLOWED_CLASSES.get(new_name, ())]
    if classes:
        attributes = f' class="{" ".join(dict.fromkeys(classes))}"{attributes}'
    return f"<{new_name}{attributes}>"


def modernise(html: str) -> str:
    """Obsolete tags and WordPress presentation → today's tags and our classes (see the module)."""
    return _TAG.sub(_modern_tag, html)


# A paragraph that is nothing but one YouTube/Vimeo address (linked or not) becomes a player box,
# as WordPress embeds a lone URL. Applied on every save, it also rebuilds boxes that the rich-text
# editor, which has no node for them, turns back into a linked paragraph.
_LONE_LINK = re.compile(
    r'<p>\s*(?:<a href="(?P<href>[^"]+)"[^>]*>(?:(?!</?a[\s>]).)*</a>|(?P<bare>https?://[^\s<]+))\s*</p>',
    re.DOTALL,
)


def embed_lone_video_links(html: str) -> str:
    def replace(match: re.Match) -> str:
        url = unescape(match["href"] or match["bare"])
        return video_embed_html(url) if video_embed_url(url) else match.group(0)

    return _LONE_LINK.sub(replace, html)


def clean_html(html: str) -> str:
    """Return `html` with everything outside the allow-list removed (scripts, handlers, styles)."""
    cleaned = _allow_listed(modernise(html or ""))
    embedded = embed_lone_video_links(cleaned)
    # Cleaned again after embedding, so a second save gives the very same HTML.
    return cleaned if embedded == cleaned else _allow_listed(embedded)


def _allow_listed(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_filter_attribute,
    )
