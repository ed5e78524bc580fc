"""Write a parsed WordPress export into our models, item by item.

Every record is matched on what WordPress keeps stable (post id, login, term slug), so a second run
on the same file changes nothing and a newer export adds and updates. Each item is written in its
own savepoint: a broken one is rolled back and reported while the rest go on. Savepoints sit inside
one transaction per batch, so 10,000 posts are not 10,000 commits (and fsyncs).
"""

import datetime
import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import batched
from pathlib import Path
from urllib.parse import unquote, urlparse

import nh3
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from articles.models import (
    RESERVED_SLUGS,
    Article,
    Author,
    Category,
    Image,
    LegacyRedirect,
    MenuItem,
    Page,
)
from articles.renditions import add_image, check_upload
from articles.sanitize import clean_html
from articles.wordpress.content import attachment_ids, convert_body, upload_urls
from articles.wordpress.media import MediaLibrary, full_size, safe_path, site_hosts, upload_relpath
from articles.wordpress.parse import WxrAuthor, WxrExport, WxrItem, WxrTerm
from config.page_cache import bump_generation_on_commit

BATCH_SIZE = 500
User = get_user_model()

# WordPress status → ours. "private" posts are readable only by logged-in editors in WordPress;
# our drafts are exactly that (in the admin, never public), so private becomes draft.
ARTICLE_STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
    "private": Article.Status.DRAFT,
}
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp"}


@dataclass
class ArticlePlan:
    item: WxrItem
    existing: Article | None
    fields: dict
    author_ids: set[int]
    category_ids: set[int]
    tag_ids: set[int]
    old_path: str


class ItemError(Exception):
    """One item cannot be imported; the message says why."""


@dataclass
class Report:
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown_shortcodes: Counter = field(default_factory=Counter)
    shortcode_examples: dict[str, str] = field(default_factory=dict)
    dropped_blocks: Counter = field(default_factory=Counter)
    missing_media: dict[str, str] = field(default_factory=dict)
    skipped_types: Counter = field(default_factory=Counter)
    comments: int = 0
    private_as_draft: list[str] = field(default_factory=list)
    protected_as_draft: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    @property
    def failed(self) -> int:
        return sum(counter["failed"] for counter in self.counts.values())


def parse_wp_date(value: str, *, gmt: bool) -> datetime.datetime | None:
    """`2019-05-03 14:00:00` as UTC (the _gmt fields) or in the site's time zone; None for zeros."""
    if not value or value.startswith("0000"):
        return None
    try:
        naive = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 (zone below)
    except ValueError as error:
        raise ItemError(f"its date “{value[:30]}” is not a date") from error
    if gmt:
        return naive.replace(tzinfo=datetime.UTC)
    return timezone.make_aware(naive)


def clean_slug(value: str, max_length: int) -> str:
    """WordPress slugs are percent-encoded and may be non-Latin; ours are ASCII."""
    return slugify(unquote(value))[:max_length].strip("-")


def plain_text(value: str) -> str:
    """Text without markup; a <script> or <style> goes with its contents."""
    text = nh3.clean(value or "", tags=set(), clean_content_tags={"script", "style"})
    return html.unescape(text).strip()


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


class WordPressImporter:
    def __init__(
        self,
        export: WxrExport,
        *,
        media_dir: Path | None = None,
        dry_run: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.export = export
        self.media_dir = media_dir
        self.dry_run = dry_run
        self.progress = progress or (lambda phase, done, total: None)
        self.report = Report()
        self.hosts = site_hosts(export.site_url, export.blog_url)
        self.items_by_type: dict[str, list[WxrItem]] = defaultdict(list)
        for item in export.items:
            self.items_by_type[item.post_type or "(none)"].append(item)
        self.media = MediaLibrary(
            hosts=self.hosts,
            attachments={a.post_id: a for a in self.items_by_type["attachment"] if a.post_id},
        )

    # --- The run --------------------------------------------------------------------------

    def run(self) -> Report:
        if self.dry_run:
            with transaction.atomic():
                self._import_everything()
                transaction.set_rollback(True)
        else:
            self._import_everything()
        return self.report

    def _import_everything(self) -> None:
        self._load_existing()
        self._import_authors()
        self._import_terms()
        self._import_images()
        self._import_articles(self.items_by_type.pop("post", []))
        self._each("page", self.items_by_type.pop("page", []), self._import_page)
        self._import_menu(self.items_by_type.pop("nav_menu_item", []))
        self.items_by_type.pop("attachment", None)
        for post_type, items in self.items_by_type.items():
            self.report.skipped_types[post_type] += len(items)
            self.report.counts[f"other ({post_type})"]["skipped"] += len(items)
        for item in self.export.items:
            self.report.comments += item.comment_count

    def _each(self, kind: str, records: list, handle: Callable[[object], str]) -> None:
        done = 0
        for batch in batched(records, BATCH_SIZE):
            with transaction.atomic():
                self._prefetch(kind, batch)
                for record in batch:
                    self.report.count(kind, self._guarded(kind, record, partial(handle, record)))
                    done += 1
                    self.progress(kind, done, len(records))

    def _guarded(self, kind: str, record, action: Callable[[], str]) -> str:
        """Run `action` in its own savepoint; a failure is rolled back and reported."""
        try:
            with transaction.atomic():
                return action()
        except Exception as error:  # one broken item must not stop the others
            self._fail(kind, record, error)
            return "failed"

    def _fail(self, kind: str, record, error: Exception) -> None:
        reason = str(error) if isinstance(error, ItemError) else f"{type(error).__name__}: {error}"
        self.report.failures.append(f"{kind} {_label(record)}: {reason}")

    def _load_existing(self) -> None:
        self.article_slugs = SlugRegistry(Article.objects.values_list("slug", flat=True), 200)
        self.page_slugs = SlugRegistry(
            [*Page.objects.values_list("slug", flat=True), *RESERVED_SLUGS], 120
        )
        self.author_slugs = SlugRegistry(Author.objects.values_list("slug", flat=True), 140)
        self.redirects = {
            row.old_path: row
            for row in LegacyRedirect.objects.only("old_path", "article", "page", "image")
        }
        self.article_type = ContentType.objects.get_for_model(Article)
        self.existing_articles: dict[int, Article] = {}
        self.existing_pages: dict[int, Page] = {}

    def _prefetch(self, kind: str, batch: tuple) -> None:
        """One query per batch for the rows this batch may update, instead of one per item."""
        ids = [item.post_id for item in batch if isinstance(item, WxrItem) and item.post_id]
        if kind == "article":
            self.existing_articles = {
                article.wp_post_id: article
                for article in Article.objects.filter(wp_post_id__in=ids).prefetch_related(
                    "authors", "categories", "tags"
                )
            }
        elif kind == "page":
            self.existing_pages = {
                page.wp_post_id: page for page in Page.objects.filter(wp_post_id__in=ids)
            }

    # --- Authors --------------------------------------------------------------------------

    def _import_authors(self) -> None:
        self.authors: dict[str, Author] = {}
        declared = {a.login: a for a in self.export.authors if a.login}
        for item in self.export.items:
            if item.post_type in {"post", "page"} and item.creator and item.creator not in declared:
                declared[item.creator] = WxrAuthor(login=item.creator)
        usernames = [username_for(login) for login in declared]
        self.users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        self.profiles = {a.user_id: a for a in Author.objects.filter(user__username__in=usernames)}
        self._each("author", list(declared.values()), self._import_author)

    def _import_author(self, wp_author: WxrAuthor) -> str:
        username = username_for(wp_author.login)
        full_name = f"{wp_author.first_name} {wp_author.last_name}".strip()
        display_name = (wp_author.display_name or full_name or wp_author.login)[:120]
        outcome = "unchanged"
        user = self.users.get(username)
        if user is None:
            # An account to attach the byline to, not a login: inactive, with no usable password.
            user = User(
                username=username,
                email=wp_author.email[:254],
                first_name=wp_author.first_name[:150],
                last_name=wp_author.last_name[:150],
                is_active=False,
            )
            user.set_unusable_password()
            user.save()
            self.users[username] = user
            outcome = "created"
        author = self.profiles.get(user.pk)
        if author is None:
            base = clean_slug(wp_author.login, 130) or f"author-{wp_author.wp_id or user.pk}"
            author = Author.objects.create(
                user=user, display_name=display_name, slug=self.author_slugs.claim(base)
            )
            self.profiles[user.pk] = author
            outcome = "created"
        elif author.display_name != display_name and wp_author.display_name:
            author.display_name = display_name
            author.save(update_fields=["display_name"])
            outcome = "updated"
        self.authors[wp_author.login] = author
        return outcome

    # --- Categories and tags --------------------------------------------------------------

    def _import_terms(self) -> None:
        categories: dict[str, WxrTerm] = {}
        tags: dict[str, WxrTerm] = {}
        for term in self.export.terms:
            if term.taxonomy == "category" and term.slug:
                categories[term.slug] = term
            elif term.taxonomy == "post_tag" and term.slug:
                tags[term.slug] = term
        # Exports from WordPress.com sometimes name terms only on the items that use them.
        for item in self.export.items:
            for domain, nicename, name in item.terms:
                if domain == "category" and nicename and nicename not in categories:
                    categories[nicename] = WxrTerm("category", slug=nicename, name=name)
                elif domain == "post_tag" and nicename and nicename not in tags:
                    tags[nicename] = WxrTerm("post_tag", slug=nicename, name=name)
        self.categories: dict[str, Category] = {}  # by WordPress nicename
        self.categories_by_term_id: dict[int, Category] = {}
        self.category_terms = categories
        self.existing_categories = {c.slug: c for c in Category.objects.all()}
        self._each("category", _parents_first(categories), self._import_category)
        self.tags: dict[str, Tag] = {}
        self.existing_tags = {t.slug: t for t in Tag.objects.all()}
        self.existing_tag_names = {t.name.lower(): t for t in self.existing_tags.values()}
        self._each("tag", list(tags.values()), self._import_tag)

    def _import_category(self, term: WxrTerm) -> str:
        slug = clean_slug(term.slug, 120) or f"category-{term.term_id or len(self.categories)}"
        name = (plain_text(term.name) or slug)[:100]
        description = plain_text(term.description)
        parent = self.categories.get(term.parent_slug) if term.parent_slug else None
        if term.parent_slug and parent is None:
            self.report.notes.append(
                f"Category “{name}”: its parent “{term.parent_slug}” is not in the export; "
                "imported at the top level."
            )
        category = self.existing_categories.get(slug)
        if parent is not None and category is not None and _within(parent, category):
            self.report.notes.append(f"Category “{name}”: its parents form a loop; cut here.")
            parent = None
        outcome = "unchanged"
        if category is None:
            category = Category.objects.create(
                name=name, slug=slug, description=description, parent=parent
            )
            self.existing_categories[slug] = category
            outcome = "created"
        else:
            wanted = {"name": name, "description": description, "parent_id": parent and parent.pk}
            changed = [key for key, value in wanted.items() if getattr(category, key) != value]
            if changed:
                for key in changed:
                    setattr(category, key, wanted[key])
                category.save(update_fields=[key.removesuffix("_id") for key in changed])
                outcome = "updated"
        self.categories[term.slug] = category
        if term.term_id:
            self.categories_by_term_id[term.term_id] = category
        return outcome

    def _import_tag(self, term: WxrTerm) -> str:
        slug = clean_slug(term.slug, 100) or slugify(term.name)[:100] or f"tag-{term.term_id}"
        name = (plain_text(term.name) or slug)[:100]
        tag = self.existing_tags.get(slug) or self.existing_tag_names.get(name.lower())
        outcome = "unchanged"
        if tag is None:
            tag = Tag.objects.create(name=name, slug=slug)
            self.existing_tags[slug] = tag
            self.existing_tag_names[name.lower()] = tag
            outcome = "created"
        elif tag.name != name and name.lower() not in self.existing_tag_names:
            tag.name = name
            tag.save(update_fields=["name"])
            outcome = "updated"
        self.tags[term.slug] = tag
        return outcome

    # --- Images ---------------------------------------------------------------------------

    def _import_images(self) -> None:
        """Copy the pictures posts use (featured and in bodies) into the library, once each."""
        wanted_ids: set[int] = set()
        orphan_urls: dict[str, str] = {}
        for item in [*self.items_by_type.get("post", []), *self.items_by_type.get("page", [])]:
            thumbnail = item.meta.get("_thumbnail_id", "").strip()
            if thumbnail.isdigit():
                wanted_ids.add(int(thumbnail))
            wanted_ids |= attachment_ids(item.content)
            if re.search(r"\[gallery(?![^\]]*\b(?:ids|include)=)", item.content):
                wanted_ids.update(self.media.children(item.post_id or 0))
            for url in upload_urls(item.content):
                if self.media.is_upload(url):
                    orphan_urls.setdefault(full_size(upload_relpath(url) or ""), url)
        by_relpath = {}
        for attachment in self.media.attachments.values():
            relpath = self.media.attachment_relpath(attachment)
            if relpath:
                by_relpath[relpath] = attachment
        for relpath in list(orphan_urls):
            if relpath in by_relpath:
                wanted_ids.add(by_relpath.pop(relpath).post_id)
                del orphan_urls[relpath]
        self.existing_images = {
            image.wp_attachment_id: image
            for image in Image.objects.filter(wp_attachment_id__in=wanted_ids)
        }
        attachments = [
            self.media.attachments[i] for i in sorted(wanted_ids) if i in self.media.attachments
        ]
        self._each("image", attachments, self._import_attachment)
        self._each("image", sorted(orphan_urls.items()), self._import_orphan_upload)

    def _import_attachment(self, attachment: WxrItem) -> str:
        relpath = self.media.attachment_relpath(attachment) or ""
        alt_text = (
            plain_text(attachment.meta.get("_wp_attachment_image_alt", ""))
            or plain_text(attachment.title)
            or Path(relpath).stem
        )[:300]
        caption = plain_text(attachment.excerpt)[:500]
        old_paths = [
            p for p in {_path(attachment.attachment_url), f"/wp-content/uploads/{relpath}"} if p
        ]
        image = self.existing_images.get(attachment.post_id)
        if image is not None:
            self.media.hold(image, attachment.post_id, [relpath])
            changed = image.alt_text != alt_text or image.caption != caption
            if changed:
                image.alt_text, image.caption = alt_text, caption
                image.save(update_fields=["alt_text", "caption"])
            self._point_redirects(old_paths, image=image)
            return "updated" if changed else "unchanged"
        image = self._copy_upload(relpath, attachment.attachment_url, alt_text, caption)
        if image is None:
            return "skipped"
        if not self.dry_run:
            image.wp_attachment_id = attachment.post_id
            image.save(update_fields=["wp_attachment_id"])
        self.media.hold(image, attachment.post_id, [relpath])
        self._point_redirects(old_paths, image=image)
        return "created"

    def _import_orphan_upload(self, entry: tuple[str, str]) -> str:
        """A picture in a body whose attachment record is gone from WordPress (the file remains)."""
        relpath, url = entry
        old_path = f"/wp-content/uploads/{relpath}"
        known = self.redirects.get(old_path)
        if known is not None and known.image_id:
            self.media.hold(known.image, None, [relpath])
            return "unchanged"
        image = self._copy_upload(relpath, url, Path(relpath).stem.replace("-", " "), "")
        if image is None:
            return "skipped"
        self.media.hold(image, None, [relpath])
        self._point_redirects([old_path, _path(url)], image=image)
        return "created"

    def _copy_upload(self, relpath: str, url: str, alt_text: str, caption: str) -> Image | None:
        """A new library Image from --media-dir, or None (and a line in the report)."""
        shown = url or relpath
        if not self.media_dir:
            self.report.missing_media[shown] = "kept at its old address (no --media-dir given)"
            return None
        path = safe_path(self.media_dir, relpath) if relpath else None
        if path is None:
            raise ItemError(f"its file path “{relpath[:80]}” is outside --media-dir; refused")
        if path.suffix.lower() not in IMAGE_EXTENSIONS:
            self.report.missing_media[shown] = (
                f"not a picture we import ({path.suffix or 'no extension'})"
            )
            return None
        if not path.is_file():
            self.report.missing_media[shown] = f"not found in --media-dir ({relpath})"
            return None
        with path.open("rb") as handle:
            upload = File(handle, name=path.name)
            if self.dry_run:
                check_upload(upload)
                return Image(alt_text=alt_text, caption=caption)
            try:
                return add_image(upload=upload, alt_text=alt_text, caption=caption)
            except Exception as error:
                messages = getattr(error, "messages", None)
                raise ItemError(
                    f"the file {relpath} was refused: {' '.join(messages) if messages else error}"
                ) from error

    # --- Posts ----------------------------------------------------------------------------

    def _import_articles(self, items: list[WxrItem]) -> None:
        """Posts in batches: new ones go in with a handful of bulk INSERTs per batch (per-row
        queries made 10,000 posts take minutes); should a bulk write fail, that batch's new posts
        are written again one by one, each in its own savepoint, so only the faulty one fails."""
        done = 0
        for batch in batched(items, BATCH_SIZE):
            with transaction.atomic():
                self._prefetch("article", batch)
                new_plans: list[ArticlePlan] = []
                for item in batch:
                    try:
                        plan = self._plan_article(item)
                    except Exception as error:  # one broken item must not stop the others
                        self._fail("article", item, error)
                        plan = "failed"
                    if isinstance(plan, str):
                        self.report.count("article", plan)
                    elif plan.existing is None:
                        new_plans.append(plan)
                    elif not self._article_changes(plan):  # a re-run: no savepoint, no query
                        self.report.count("article", "unchanged")
                    else:
                        outcome = self._guarded(
                            "article", item, partial(self._update_article, plan)
                        )
                        self.report.count("article", outcome)
                    done += 1
                    self.progress("article", done, len(items))
                if not new_plans:
                    continue
                try:
                    with transaction.atomic():
                        self._create_articles(new_plans)
                    self.report.counts["article"]["created"] += len(new_plans)
                except Exception:
                    for plan in new_plans:
                        outcome = self._guarded(
                            "article", plan.item, partial(self._create_articles, [plan])
                        )
                        self.report.count("article", outcome)
            bump_generation_on_commit()  # bulk writes send no signals to the page cache

    def _plan_article(self, item: WxrItem) -> "ArticlePlan | str":
        """Everything the article should be, worked out without writing anything."""
        _check(item)
        if item.status in SKIPPED_STATUSES:
            return "skipped"
        status = ARTICLE_STATUSES.get(item.status)
        if status is None:
            raise ItemError(f"its status “{item.status[:20]}” is not a WordPress post status")
        if item.status == "private":
            self.report.private_as_draft.append(_label(item))
        if item.password and status in {Article.Status.PUBLISHED, Article.Status.SCHEDULED}:
            # We cannot ask readers for a password, so a protected post stays unpublished.
            status = Article.Status.DRAFT
            self.report.protected_as_draft.append(_label(item))
        published_at = self._date(item)
        if status in {Article.Status.PUBLISHED, Article.Status.SCHEDULED} and not published_at:
            raise ItemError("it is published but has no date")
        if status in {Article.Status.DRAFT, Article.Status.REVIEW}:
            published_at = None
        existing = self.existing_articles.get(item.post_id)
        base_slug = (
            clean_slug(item.post_name, 190) or clean_slug(item.title, 190) or f"post-{item.post_id}"
        )
        categories = self._categories(item)
        primary = self._primary_category(item, categories)
        fields = {
            "title": (plain_text(item.title) or "(no title)")[:300],
            "slug": self.article_slugs.claim(base_slug, existing.slug if existing else ""),
            "dek": plain_text(item.excerpt),
            "body": clean_html(self._body(item)),
            "status": status,
            "published_at": published_at,
            "featured": item.is_sticky,
            "primary_category_id": primary.pk if primary else None,
            "featured_image_id": self._featured_image_id(item, existing),
        }
        return ArticlePlan(
            item=item,
            existing=existing,
            fields=fields,
            author_ids={author.pk for author in self._authors(item)},
            category_ids={c.pk for c in categories if c != primary},
            tag_ids={tag.pk for tag in self._tags(item)},
            old_path=_path(item.link) if self._ours(item.link) else "",
        )

    def _create_articles(self, plans: list["ArticlePlan"]) -> None:
        articles = [Article(wp_post_id=plan.item.post_id, **plan.fields) for plan in plans]
        links_first = connection.vendor == "postgresql"
        if links_first:
            # The search-vector triggers (migration 0006) recompute an article's document after
            # each link-table insert. With ids drawn first, the links go in before their articles
            # (foreign keys are checked at commit), and each document is computed once, not 4 times.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence('articles_article', 'id')) "
                    "FROM generate_series(1, %s)",
                    [len(articles)],
                )
                for article, (pk,) in zip(articles, cursor.fetchall(), strict=True):
                    article.pk = pk
        else:
            Article.objects.bulk_create(articles)
        authors, categories, tagged, redirects = [], [], [], {}
        for article, plan in zip(articles, plans, strict=True):
            authors += [
                Article.authors.through(article_id=article.pk, author_id=pk)
                for pk in plan.author_ids
            ]
            categories += [
                Article.categories.through(article_id=article.pk, category_id=pk)
                for pk in plan.category_ids
            ]
            tagged += [
                TaggedItem(content_type=self.article_type, object_id=article.pk, tag_id=pk)
                for pk in plan.tag_ids
            ]
            if plan.old_path and plan.old_path not in self.redirects:
                redirects[plan.old_path] = LegacyRedirect(old_path=plan.old_path, article=article)
            elif plan.old_path:
                self._point_redirects([plan.old_path], article=article)
        Article.authors.through.objects.bulk_create(authors)
        Article.categories.through.objects.bulk_create(categories)
        TaggedItem.objects.bulk_create(tagged)
        if links_first:
            Article.objects.bulk_create(articles)
        LegacyRedirect.objects.bulk_create(redirects.values())
        self.redirects.update(redirects)

    def _article_changes(self, plan: "ArticlePlan") -> list[str]:
        """What differs between the article and its WordPress original (from prefetched rows)."""
        existing = plan.existing
        changes = [key for key, value in plan.fields.items() if getattr(existing, key) != value]
        if {a.pk for a in existing.authors.all()} != plan.author_ids:
            changes.append("authors")
        if {c.pk for c in existing.categories.all()} != plan.category_ids:
            changes.append("categories")
        if {t.pk for t in existing.tags.all()} != plan.tag_ids:
            changes.append("tags")
        row = self.redirects.get(plan.old_path)
        if plan.old_path and (row is None or row.article_id != existing.pk):
            changes.append("redirects")
        return changes

    def _update_article(self, plan: "ArticlePlan") -> str:
        existing = plan.existing
        changes = self._article_changes(plan)
        for key in plan.fields.keys() & set(changes):
            setattr(existing, key, plan.fields[key])
        if plan.fields.keys() & set(changes):
            existing.save()
        if "authors" in changes:
            existing.authors.set(plan.author_ids)
        if "categories" in changes:
            existing.categories.set(plan.category_ids)
        if "tags" in changes:
            existing.tags.set(list(Tag.objects.filter(pk__in=plan.tag_ids)))
        self._point_redirects([plan.old_path], article=existing)
        return "updated" if changes else "unchanged"

    def _import_page(self, item: WxrItem) -> str:
        _check(item)
        if item.status in SKIPPED_STATUSES:
            return "skipped"
        if item.status not in ARTICLE_STATUSES:
            raise ItemError(f"its status “{item.status[:20]}” is not a WordPress page status")
        if item.status == "private":
            self.report.private_as_draft.append(_label(item))
        if item.password and item.status == "publish":
            self.report.protected_as_draft.append(_label(item))
        existing = self.existing_pages.get(item.post_id)
        base = (
            clean_slug(item.post_name, 110) or clean_slug(item.title, 110) or f"page-{item.post_id}"
        )
        if base in RESERVED_SLUGS or base.isdigit():
            base = f"{base}-page"
        wanted = {
            "title": (plain_text(item.title) or "(no title)")[:200],
            "slug": self.page_slugs.claim(base, existing.slug if existing else ""),
            "body": clean_html(self._body(item)),
            "published": item.status == "publish" and not item.password,
        }
        page = existing
        outcome = "unchanged"
        if page is None:
            page = Page.objects.create(wp_post_id=item.post_id, **wanted)
            outcome = "created"
        else:
            changed = [key for key, value in wanted.items() if getattr(page, key) != value]
            if changed:
                for key in changed:
                    setattr(page, key, wanted[key])
                page.save()
                outcome = "updated"
        if self._point_redirects([_path(item.link) if self._ours(item.link) else ""], page=page):
            outcome = "updated" if outcome == "unchanged" else outcome
        return outcome

    def _date(self, item: WxrItem) -> datetime.datetime | None:
        try:
            return parse_wp_date(item.post_date_gmt, gmt=True) or parse_wp_date(
                item.post_date, gmt=False
            )
        except ItemError:
            raise
        except (ValueError, OverflowError) as error:
            raise ItemError(f"its date cannot be read ({error})") from error

    def _body(self, item: WxrItem) -> str:
        body, notes = convert_body(item.content, media=self.media, post_id=item.post_id or 0)
        for name, count in notes.unknown_shortcodes.items():
            self.report.unknown_shortcodes[name] += count
            self.report.shortcode_examples.setdefault(name, _label(item))
        self.report.dropped_blocks.update(notes.dropped_blocks)
        for url in notes.media_kept_at_old_url:
            self.report.missing_media.setdefault(url, "kept at its old address")
        return body

    def _authors(self, item: WxrItem) -> list[Author]:
        # Co-Authors Plus lists every byline as an "author" term; plain WordPress has one creator.
        logins = [name for domain, _nicename, name in item.terms if domain == "author"]
        authors = [self.authors[login] for login in logins if login in self.authors]
        if not authors and item.creator in self.authors:
            authors = [self.authors[item.creator]]
        return authors

    def _categories(self, item: WxrItem) -> list[Category]:
        found = [
            self.categories[nicename]
            for domain, nicename, _name in item.terms
            if domain == "category" and nicename in self.categories
        ]
        return list(dict.fromkeys(found))

    def _primary_category(self, item: WxrItem, categories: list[Category]) -> Category | None:
        # Yoast SEO and Rank Math store the editor's primary category as a term id.
        for key in ("_yoast_wpseo_primary_category", "rank_math_primary_category"):
            term_id = item.meta.get(key, "").strip()
            chosen = self.categories_by_term_id.get(int(term_id)) if term_id.isdigit() else None
            if chosen in categories:
                return chosen
        return categories[0] if categories else None

    def _tags(self, item: WxrItem) -> list[Tag]:
        return [
            self.tags[nicename]
            for domain, nicename, _name in item.terms
            if domain == "post_tag" and nicename in self.tags
        ]

    def _featured_image_id(self, item: WxrItem, existing: Article | None) -> int | None:
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        image = self.media.images_by_attachment.get(int(thumbnail)) if thumbnail.isdigit() else None
        if image is not None and image.pk:
            return image.pk
        # A picture we could not copy this time does not unset one an earlier run copied.
        return existing.featured_image_id if existing and thumbnail else None

    # --- Old addresses --------------------------------------------------------------------

    def _ours(self, url: str) -> bool:
        host = (urlparse(url).hostname or "").lower()
        return bool(url) and (not self.hosts or not host or host in self.hosts)

    def _point_redirects(self, paths: list[str], **target) -> bool:
        """Make each old path lead to `target`; True when anything was written."""
        ((field_name, obj),) = target.items()
        if obj.pk is None:  # a dry run's picture is never saved
            return False
        wrote = False
        for old_path in filter(None, paths):
            if old_path in {"/", ""} or len(old_path) > 500:
                continue
            row = self.redirects.get(old_path)
            if row is not None and getattr(row, f"{field_name}_id") == obj.pk:
                continue
            if row is None:
                row = LegacyRedirect(old_path=old_path)
            row.article = row.page = row.image = None
            setattr(row, field_name, obj)
            row.save()
            self.redirects[old_path] = row
            wrote = True
        return wrote

    # --- Menu -----------------------------------------------------------------------------

    def _import_menu(self, items: list[WxrItem]) -> None:
        kind = "menu item"
        if not items:
            return
        menus: dict[str, list[WxrItem]] = defaultdict(list)
        for item in items:
            menu = next((n for d, n, _ in item.terms if d == "nav_menu"), "")
            menus[menu].append(item)

        def skip(reason: str) -> None:
            self.report.notes.append(f"Menus: {reason}; {len(items)} menu items not imported.")
            self.report.counts[kind]["skipped"] += len(items)

        if len(menus) > 1:
            return skip(
                f"the export has {len(menus)} menus ({', '.join(sorted(menus))}) and ours is one; "
                "build it in the admin under Menu items"
            )
        if any(
            item.meta.get("_menu_item_menu_item_parent", "0") not in {"0", ""} for item in items
        ):
            return skip("the menu has sub-items and ours is one level")
        if MenuItem.objects.exists():
            return skip("this site already has a menu, which was left as it is")
        entries = []
        for item in sorted(items, key=lambda i: (i.menu_order, i.post_id or 0)):
            entry = self._menu_entry(item)
            if entry is None:
                return skip(
                    f"the entry “{item.title or item.post_id}” points at something we do not have"
                )
            entries.append(entry)
        with transaction.atomic():
            for order, entry in enumerate(entries, start=1):
                entry.order = order
                entry.save()
        self.report.counts[kind]["created"] += len(entries)

    def _menu_entry(self, item: WxrItem) -> MenuItem | None:
        kind = item.meta.get("_menu_item_type", "")
        target = item.meta.get("_menu_item_object", "")
        object_id = item.meta.get("_menu_item_object_id", "").strip()
        label = plain_text(item.title)
        if kind == "taxonomy" and target == "category" and object_id.isdigit():
            category = self.categories_by_term_id.get(int(object_id))
            return category and MenuItem(label=(label or category.name)[:60], category=category)
        if kind == "post_type" and target == "page" and object_id.isdigit():
            page = Page.objects.filter(wp_post_id=int(object_id)).first()
            return page and MenuItem(label=(label or page.title)[:60], page=page)
        if kind == "post_type" and target == "post" and object_id.isdigit():
            article = Article.objects.filter(wp_post_id=int(object_id)).first()
            return article and MenuItem(
                label=(label or article.title)[:60], url=article.get_absolute_url()
            )
        if kind == "custom":
            url = item.meta.get("_menu_item_url", "").strip()
            if self._ours(url) and urlparse(url).hostname:
                url = _path(url) or "/"
            if url.startswith(("/", "http://", "https://")) and label:
                return MenuItem(label=label[:60], url=url[:300])
        return None


def username_for(login: str) -> str:
    """A WordPress login as a Django username (which allows letters, digits and @.+-_)."""
    return re.sub(r"[^\w.@+-]", "_", login)[:150] or "wordpress-user"


def _check(item: WxrItem) -> None:
    if item.problems:
        raise ItemError("; ".join(item.problems))


def _label(record) -> str:
    if isinstance(record, WxrItem):
        return f"{record.post_id or '?'} “{plain_text(record.title)[:60]}”"
    if isinstance(record, WxrAuthor):
        return f"“{record.login}”"
    if isinstance(record, WxrTerm):
        return f"“{record.slug}”"
    if isinstance(record, tuple):
        return f"“{record[0]}”"
    return repr(record)[:80]


def _path(url: str) -> str:
    """The path WordPress served `url` at, decoded as Django's request.path is."""
    if not url:
        return ""
    parsed = urlparse(url)
    if parsed.query and parsed.path in {"", "/"}:
        return ""  # ?p=123 links are answered from wp_post_id, not stored
    return unquote(parsed.path) or ""


def _within(category: Category, ancestor: Category) -> bool:
    """Whether `category` is `ancestor` or sits somewhere below it."""
    seen = set()
    while category is not None and category.pk not in seen:
        if category.pk == ancestor.pk:
            return True
        seen.add(category.pk)
        category = category.parent
    return False


def _parents_first(terms: dict[str, WxrTerm]) -> list[WxrTerm]:
    """Categories ordered so a parent comes before its children (a cycle is cut, not followed)."""

    def depth(term: WxrTerm) -> int:
        seen = {term.slug}
        level = 0
        while term.parent_slug and term.parent_slug in terms and term.parent_slug not in seen:
            term = terms[term.parent_slug]
            seen.add(term.slug)
            level += 1
        return level

    return sorted(terms.values(), key=depth)
