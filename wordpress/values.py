"""WordPress values turned into ours: dates, slugs, plain text, usernames, old paths."""

import html
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlparse

import nh3
from django.utils.text import slugify

from wordpress.parse import WxrAuthor, WxrItem, WxrTerm
from wordpress.report import ItemError


def clean_slug(value: str, max_length: int, *, unicode: bool = False) -> str:
    """WordPress slugs are percent-encoded and may be non-Latin. Article, term and author slugs
    are ASCII here; page slugs (`unicode=True`) keep their script, as their addresses did."""
    return slugify(unquote(value), allow_unicode=unicode)[:max_length].strip("-")


def plain_text(value: str) -> str:
    """Text without markup; a <script> or <style> goes with its contents."""
    text = nh3.clean(value or "", tags=set(), clean_content_tags={"script", "style"})
    return html.unescape(text).strip()


# Inline markup a WordPress title may carry (themes print titles as HTML); anything else that
# looks like a tag, "Why <Iran> matters", is text and stays.
_TITLE_TAGS = re.compile(
    r"</?(?:b|i|em|strong|span|small|big|sup|sub|br|code|mark|u|s|strike|del|ins|abbr|acronym|a"
    r"|q|cite|font|img|div|p|h[1-6]|iframe|object|embed|svg|form|input|button|link|meta)\b[^<>]*>",
    re.I,
)
_TITLE_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)


def title_text(value: str) -> str:
    """A title exactly as readers saw it: HTML tags (and scripts) dropped, entities made
    characters; anything else that only looks like a tag ("Why <Iran> matters") is text."""
    value = _TITLE_TAGS.sub("", _TITLE_SCRIPTS.sub("", value or ""))
    return re.sub(r"\s+", " ", html.unescape(value)).strip()


class SlugRegistry:
    """Slugs already taken, loaded once, so choosing a free one costs no query."""

    def __init__(self, taken: Iterable[str], max_length: int):
        self.taken = set(taken)
        self.max_length = max_length

    def claim(self, base: str, current: str = "") -> str:
        """`current` when it is still `base` (or base-N chosen earlier), else the first free slug."""
        if current and (current == base or re.fullmatch(re.escape(base) + r"-\d+", current)):
            return current
        candidate, number = base, 2
        while candidate in self.taken:
            suffix = f"-{number}"
            candidate = base[: self.max_length - len(suffix)] + suffix
            number += 1
        self.taken.add(candidate)
        if current:
            self.taken.discard(current)
        return candidate


def clean_login(raw: str) -> str:
    """A login as WordPress's importer reads it (sanitize_user): no tags, entities, percent-escapes,
    stray punctuation or surrounding space. `> nadia ` and `nadia` are one author."""
    login = nh3.clean(raw or "", tags=set())
    login = re.sub(r"%[0-9A-Fa-f]{2}|&[^;\s]+;", "", login)
    login = re.sub(r"[^\w .@-]", "", login)
    return re.sub(r"\s+", " ", login).strip()


def username_for(login: str) -> str:
    """A WordPress login as a Django username (which allows letters, digits and @.+-_)."""
    return re.sub(r"[^\w.@+-]", "_", login)[:150] or "wordpress-user"


def check_item(item: WxrItem) -> None:
    if item.problems:
        raise ItemError("; ".join(item.problems))


def describe(record) -> str:
    if isinstance(record, WxrItem):
        return f"{record.post_id or '?'} “{plain_text(record.title)[:60]}”"
    if isinstance(record, WxrAuthor):
        return f"“{record.login}”"
    if isinstance(record, WxrTerm):
        return f"“{record.slug}”"
    if isinstance(record, tuple):
        return f"“{record[0]}”"
    return repr(record)[:80]


def wordpress_path(url: str) -> str:
    """The path WordPress served `url` at, decoded as Django's request.path is."""
    if not url:
        return ""
    parsed = urlparse(url)
    if parsed.query and parsed.path in {"", "/"}:
        return ""  # ?p=123 links are answered from wp_post_id, not stored
    # Decoded, and with doubled slashes made single as WordPress's own redirect does.
    return re.sub(r"/{2,}", "/", unquote(parsed.path)) or ""
