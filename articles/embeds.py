"""YouTube and Vimeo videos in our content: the privacy-friendly player address for a link, and the
click-to-load box bodies show (static/js/site.js swaps in the iframe when a reader asks for it).

The content core owns this, below models and the sanitiser: the related-video field, the allow-list
and the WordPress import all build on it, and it imports nothing of the project."""

import html
import re
from urllib.parse import parse_qs, urlparse

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
# The player addresses our CSP allows in frames; the sanitiser keeps no other `data-embed-src`.
PLAYER_PREFIXES = (
    "https://www.youtube-nocookie.com/embed/",
    "https://player.vimeo.com/video/",
)


def video_embed_url(url: str) -> str:
    """The privacy-friendly player address for a YouTube or Vimeo link, or "" for anything else."""
    if not url:
        return ""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host == "youtu.be":
        video_id = parsed.path.strip("/").split("/")[0]
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
    elif host in {"vimeo.com", "player.vimeo.com"}:
        digits = [part for part in parsed.path.split("/") if part.isdigit()]
        return f"https://player.vimeo.com/video/{digits[0]}?dnt=1" if digits else ""
    if video_id and _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    return ""


def video_host(player_url: str) -> str:
    return "Vimeo" if "vimeo" in player_url else "YouTube"


def video_embed_html(url: str, title: str = "") -> str:
    """Our click-to-load player box for a YouTube/Vimeo link."""
    player = video_embed_url(url)
    host = video_host(player)
    title = title or f"Video on {host}"
    attr = lambda value: html.escape(value, quote=True)  # noqa: E731
    return (
        f'<div class="video-embed" data-embed-src="{attr(player)}" data-embed-title="{attr(title)}">'
        f'<a class="video-embed__load" href="{attr(url)}">Play video '
        f'<span class="video-embed__note">(loads the player from {host})</span></a></div>'
    )
