"""The one HTML allow-list: every body that reaches a reader passes through `clean_html`."""

import re
from html import unescape

import nh3

from articles.embeds import PLAYER_PREFIXES, video_embed_html, video_embed_url

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "q",
    "cite",
    "code",
    "pre",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "span",
    "abbr",
    "small",
    "mark",
    "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title", "loading", "srcset", "sizes"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "blockquote": {"cite"},
    "div": {"data-embed-src", "data-embed-title"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Click-to-load video boxes in bodies (the WordPress import writes them for YouTube/Vimeo links):
# the related-video markup, whose player address must be one of the two our CSP frames
# (articles.embeds.PLAYER_PREFIXES).
VIDEO_EMBED_CLASSES = {
    "div": {"class": {"video-embed"}},
    "a": {"class": {"video-embed__load"}},
    "span": {"class": {"video-embed__note"}},
}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "data-embed-src" and not value.startswith(PLAYER_PREFIXES):
        return None
    if attribute == "title" and not value.strip():
        return None  # the editor's link dialog sends title="" when left empty
    return value


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
    # Cleaned again after embedding, so a second save gives the very same HTML.
    return _allow_listed(embed_lone_video_links(_allow_listed(html)))


def _allow_listed(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        tag_attribute_values=VIDEO_EMBED_CLASSES,
        attribute_filter=_filter_attribute,
    )
