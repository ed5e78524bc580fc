"""Article revisions with django-reversion: every save in the admin stores one (who, when, the whole
article as JSON in reversion's own tables, so no migration here follows Article's fields).

This module reads them back: the list, a readable word-level diff of two, and restoring one."""

import difflib
import re

import reversion
from django.db import transaction
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from articles.models import Article, Category, Image

if not reversion.is_registered(TaggedItem):
    reversion.register(TaggedItem)
if not reversion.is_registered(Article):
    # Each revision also keeps the article's tag links (TaggedItem rows).
    reversion.register(Article, exclude=["updated_at"], follow=["tagged_items"])

# What "restore" brings back. Status, publish time and the featured flag stay as they are:
# restoring wording must not take an article off the site or put a draft on it.
RESTORED_FIELDS = (
    "title",
    "slug",
    "dek",
    "body",
    "featured_image_id",
    "primary_category_id",
    "source_name",
    "source_url",
    "video_url",
    "video_caption",
    "video_added_by",
)
RESTORED_RELATIONS = ("authors", "categories")
COMPARED_FIELDS = (("title", "Title"), ("dek", "Dek"), ("body", "Body"), ("slug", "Address"))

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figure|figcaption|tr|pre)>|<br\s*/?>", re.I)
_TOKENS = re.compile(r"\s+|[^\s]+")


def versions_of(article: Article):
    """The article's revisions, newest first, with their authors."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def _readable_text(html: str) -> str:
    return strip_tags(_BLOCK_END.sub(lambda m: m.group(0) + "\n", html or "")).strip()


def word_diff(old: str, new: str) -> SafeString:
    """`new` with words removed since `old` in <del> and words added in <ins> (all text escaped)."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_tokens[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old_tokens[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new_tokens[b1:b2]))}</ins>")
    return mark_safe("".join(parts))


def compare(old: Version, new: Version) -> list[dict]:
    """One row per compared field: its label, whether it changed, and the marked-up difference."""
    old_fields, new_fields = old.field_dict, new.field_dict
    rows = []
    for name, label in COMPARED_FIELDS:
        before, after = old_fields.get(name) or "", new_fields.get(name) or ""
        if name == "body":
            before, after = _readable_text(before), _readable_text(after)
        rows.append({"label": label, "changed": before != after, "diff": word_diff(before, after)})
    return rows


def tags_of(version: Version) -> set[int] | None:
    """The ids of the tags the article had in `version`, or None when the revision holds no tag
    links: the article had no tags then, or the revision predates keeping them, and the two
    cannot be told apart, so restoring such a revision leaves the tags as they are."""
    links = [
        link.field_dict["tag_id"]
        for link in version.revision.version_set.all()
        if link.content_type.model_class() is TaggedItem
    ]
    return set(links) or None


def restore(article: Article, version: Version, *, user) -> Article:
    """Bring back the wording (and filing) of `version`, as a new revision on top of the others."""
    fields = version.field_dict
    with transaction.atomic(), reversion.create_revision():
        for name in RESTORED_FIELDS:
            if name in fields:
                setattr(article, name, fields[name])
        # Pictures and categories deleted since then are left out rather than restored broken.
        if not Image.objects.filter(pk=article.featured_image_id).exists():
            article.featured_image_id = None
        if not Category.objects.filter(pk=article.primary_category_id).exists():
            article.primary_category_id = None
        article.save()
        for name in RESTORED_RELATIONS:
            if name in fields:
                related = getattr(article, name)
                related.set(related.model.objects.filter(pk__in=fields[name]))
        tag_ids = tags_of(version)
        if tag_ids is not None:
            article.tags.set(Tag.objects.filter(pk__in=tag_ids))
        reversion.set_user(user)
        reversion.set_comment(
            f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}"
        )
    return article
