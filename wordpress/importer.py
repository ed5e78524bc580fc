"""Write a parsed WordPress export into our models, item by item.

Every record is matched on what WordPress keeps stable (post id, login, term slug), so a second run
on the same file changes nothing and a newer export adds and updates. Each item is written in its
own savepoint: a broken one is rolled back and reported while the rest go on. Savepoints sit inside
one transaction per batch, so 10,000 posts are not 10,000 commits (and fsyncs).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from itertools import batched
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    Author,
    Category,
    Page,
    Publication,
    reserved_slugs,
)
from articles.sanitize import clean_html
from pagecache.generation import bump_on_commit
from wordpress.content import convert_body
from wordpress.dates import check_zone, describe_offsets, item_date
from wordpress.files import FileImport
from wordpress.images import ImageImport
from wordpress.media import MediaLibrary, site_hosts
from wordpress.menu import MenuImport
from wordpress.models import LegacyRedirect
from wordpress.parse import WxrExport, WxrItem
from wordpress.report import ItemError, Report
from wordpress.terms import TermImport
from wordpress.values import (
    SlugRegistry,
    check_item,
    clean_login,
    clean_slug,
    describe,
    plain_text,
    title_text,
    wordpress_path,
)

BATCH_SIZE = 500

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


@dataclass
class ArticlePlan:
    item: WxrItem
    existing: Article | None
    fields: dict
    author_ids: set[int]
    category_ids: set[int]
    tag_ids: set[int]
    old_paths: list[str]


def parents_first(pages: list[WxrItem]) -> list[WxrItem]:
    """Pages ordered so a parent is written before its children (a loop is cut, not followed)."""
    by_id = {page.post_id: page for page in pages if page.post_id}

    def depth(page: WxrItem) -> int:
        seen, level = {page.post_id}, 0
        while page.post_parent in by_id and page.post_parent not in seen:
            page = by_id[page.post_parent]
            seen.add(page.post_id)
            level += 1
        return level

    return sorted(pages, key=depth)


class WordPressImporter(TermImport, ImageImport, FileImport, MenuImport):
    def __init__(
        self,
        export: WxrExport,
        *,
        media_dir: Path | None = None,
        fetch_media: bool = False,
        dry_run: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
        zone: datetime.tzinfo | None = None,
    ):
        self.export = export
        # Dates are read in the zone addresses are made in, unless the operator names the old one.
        self.addresses_zone = timezone.get_current_timezone()
        self.zone = zone or self.addresses_zone
        self.media_dir = media_dir
        self.fetch_media = fetch_media
        self.fetch_failures: dict[str, str] = {}
        self.dry_run = dry_run
        self.progress = progress or (lambda phase, done, total: None)
        self.report = Report()
        self.odd_logins: set[str] = set()
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

    def _note_zone(self) -> None:
        """Say which zone the old site ran on when it is not the one dates were read in."""
        posts = [*self.items_by_type.get("post", []), *self.items_by_type.get("page", [])]
        check = check_zone(posts, self.zone)
        if check.differing:
            zones = check.fitting_zones()
            named = (
                f" ({', '.join(zones[:3])}{' …' if len(zones) > 3 else ''} fit)" if zones else ""
            )
            self.report.notes.append(
                f"Dates: the old site ran on {describe_offsets(check.offsets)}{named}, judging by "
                f"the export's GMT dates; they were read in {self.zone}. Posts keep the day and time "
                "the old site showed (so their addresses); for exact moments in feeds, set "
                "TIME_ZONE to the old site's zone and import again (addresses stay the same)."
            )
        if self.zone != self.addresses_zone:
            moved = 0
            for item in posts:
                try:
                    when = item_date(item, self.zone)
                except ItemError:
                    continue
                if when and timezone.localtime(when).strftime("%Y-%m-%d") != item.post_date[:10]:
                    moved += 1
            if moved:
                self.report.notes.append(
                    f"Dates: read in {self.zone} (--timezone) while addresses are made in "
                    f"{self.addresses_zone} (TIME_ZONE): {moved} post(s) now have another day in "
                    "their address; their old addresses redirect. Set TIME_ZONE to keep them."
                )

    def _import_everything(self) -> None:
        self._note_zone()
        self._load_existing()
        self._import_publication()
        self._import_authors()
        self._import_terms()
        self._import_images()
        self._import_files()
        self._import_articles(self.items_by_type.pop("post", []))
        self._each("page", parents_first(self.items_by_type.pop("page", [])), self._import_page)
        self._import_menu(self.items_by_type.pop("nav_menu_item", []))
        self.items_by_type.pop("attachment", None)
        for post_type, items in self.items_by_type.items():
            self.report.skipped_types[post_type] += len(items)
            self.report.counts[f"other ({post_type})"]["skipped"] += len(items)
        for item in self.export.items:
            self.report.comments += item.comment_count

    def _import_publication(self) -> None:
        """A new site takes the blog's name and tagline; settings made here are never replaced."""
        if Publication.objects.filter(pk=1).exists() or not self.export.title:
            return
        Publication(
            title=plain_text(self.export.title)[:120],
            tagline=plain_text(self.export.description)[:200],
        ).save()
        self.report.count("site name", "created")

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
        self.report.failures.append(f"{kind} {describe(record)}: {reason}")

    def _load_existing(self) -> None:
        self.article_slugs = SlugRegistry(Article.objects.values_list("slug", flat=True), 200)
        self.reserved_slugs = reserved_slugs()
        self.page_slugs = SlugRegistry(
            [*Page.objects.values_list("slug", flat=True), *self.reserved_slugs], 120
        )
        self.author_slugs = SlugRegistry(Author.objects.values_list("slug", flat=True), 140)
        self.redirects = {
            row.old_path: row
            for row in LegacyRedirect.objects.only("old_path", "article", "page", "image")
        }
        self.article_type = ContentType.objects.get_for_model(Article)
        self.existing_articles: dict[int, Article] = {}
        self.existing_pages: dict[int, Page] = {}
        self.pages_by_wp_id: dict[int, Page] = {}

    def _prefetch(self, kind: str, batch: tuple) -> None:
        """One query per batch for the rows this batch may update, instead of one per item."""
        ids = [item.post_id for item in batch if isinstance(item, WxrItem) and item.post_id]
        if kind == "article":
            self.existing_articles = {
                article.wp_post_id: article
                for article in Article.objects.filter(wp_post_id__in=ids)
            }
            # Link rows as (article, target) pairs: three plain queries, without prefetch_related's
            # per-article managers (a third of a re-run's time at 10,000 posts).
            pks = [article.pk for article in self.existing_articles.values()]
            self.existing_links = {"authors": defaultdict(set), "categories": defaultdict(set)}
            for name, column in (("authors", "author_id"), ("categories", "category_id")):
                through = getattr(Article, name).through.objects.filter(article_id__in=pks)
                for article_id, target in through.values_list("article_id", column):
                    self.existing_links[name][article_id].add(target)
            self.existing_links["tags"] = defaultdict(set)
            tagged = TaggedItem.objects.filter(content_type=self.article_type, object_id__in=pks)
            for article_id, tag_id in tagged.values_list("object_id", "tag_id"):
                self.existing_links["tags"][article_id].add(tag_id)
        elif kind == "page":
            self.existing_pages = {
                page.wp_post_id: page
                for page in Page.objects.filter(wp_post_id__in=ids).select_related("parent")
            }

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
            bump_on_commit()  # bulk writes send no signals to the page cache

    def _plan_article(self, item: WxrItem) -> "ArticlePlan | str":
        """Everything the article should be, worked out without writing anything."""
        check_item(item)
        if item.status in SKIPPED_STATUSES:
            return "skipped"
        status = ARTICLE_STATUSES.get(item.status)
        if status is None:
            raise ItemError(f"its status “{item.status[:20]}” is not a WordPress post status")
        if item.status == "private":
            self.report.private_as_draft.append(describe(item))
        if item.password and status in Article.LIVE_STATUSES:
            # We cannot ask readers for a password, so a protected post stays unpublished.
            status = Article.Status.DRAFT
            self.report.protected_as_draft.append(describe(item))
        published_at = self._date(item)
        if status in Article.LIVE_STATUSES and not published_at:
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
            "title": (title_text(item.title) or "(no title)")[:300],
            "slug": self._slug(self.article_slugs, base_slug, existing, item),
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
            old_paths=self._old_paths(item),
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
            for path in plan.old_paths:
                if path in self.redirects:
                    self._point_redirects([path], article=article)
                elif path not in redirects:
                    redirects[path] = LegacyRedirect(old_path=path, article=article)
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
        for name, wanted in (
            ("authors", plan.author_ids),
            ("categories", plan.category_ids),
            ("tags", plan.tag_ids),
        ):
            if self.existing_links[name][existing.pk] != wanted:
                changes.append(name)
        rows = [self.redirects.get(path) for path in plan.old_paths]
        if any(row is None or row.article_id != existing.pk for row in rows):
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
        self._point_redirects(plan.old_paths, article=existing)
        return "updated" if changes else "unchanged"

    def _import_page(self, item: WxrItem) -> str:
        check_item(item)
        if item.status in SKIPPED_STATUSES:
            return "skipped"
        if item.status not in ARTICLE_STATUSES:
            raise ItemError(f"its status “{item.status[:20]}” is not a WordPress page status")
        if item.status == "private":
            self.report.private_as_draft.append(describe(item))
        if item.password and item.status == "publish":
            self.report.protected_as_draft.append(describe(item))
        existing = self.existing_pages.get(item.post_id)
        parent = self._page_parent(item)
        base = (
            clean_slug(item.post_name, 110, unicode=True)
            or clean_slug(item.title, 110, unicode=True)
            or f"page-{item.post_id}"
        )
        if parent is None and (base in self.reserved_slugs or base.isdigit()):
            base = f"{base}-page"
        wanted = {
            "title": (title_text(item.title) or "(no title)")[:200],
            "slug": self._slug(self.page_slugs, base, existing, item),
            "parent": parent,
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
        self.pages_by_wp_id[item.post_id] = page
        if self._point_redirects(self._old_paths(item), page=page):
            outcome = "updated" if outcome == "unchanged" else outcome
        return outcome

    def _page_parent(self, item: WxrItem) -> Page | None:
        if not item.post_parent:
            return None
        parent = self.pages_by_wp_id.get(item.post_parent)
        if parent is None:
            parent = Page.objects.filter(wp_post_id=item.post_parent).first()
        if parent is None:
            self.report.notes.append(
                f"Page {describe(item)}: its parent page {item.post_parent} is not in the export; "
                "imported at the top level."
            )
        return parent

    def _slug(self, registry: SlugRegistry, base: str, existing, item: WxrItem) -> str:
        slug = registry.claim(base, existing.slug if existing else "")
        if existing is None and slug != base:
            self.report.notes.append(
                f"{item.post_type.title()} {describe(item)}: “{base}” was taken here, so it is "
                f"“{slug}” (check which one should have the address)."
            )
        return slug

    def _date(self, item: WxrItem) -> datetime.datetime | None:
        try:
            return item_date(item, self.zone)
        except ItemError:
            raise
        except (ValueError, OverflowError) as error:
            raise ItemError(f"its date cannot be read ({error})") from error

    def _body(self, item: WxrItem) -> str:
        body, notes = convert_body(item.content, media=self.media, post_id=item.post_id or 0)
        for name, count in notes.unknown_shortcodes.items():
            self.report.unknown_shortcodes[name] += count
            self.report.shortcode_examples.setdefault(name, describe(item))
        self.report.dropped_blocks.update(notes.dropped_blocks)
        for what in notes.unconverted:
            self.report.unconverted.append(f"{what}: {item.post_type} {describe(item)}")
        for url in notes.media_kept_at_old_url:
            self.report.missing_media.setdefault(url, "kept at its old address")
        return body

    def _authors(self, item: WxrItem) -> list[Author]:
        # Co-Authors Plus lists every byline as an "author" term; plain WordPress has one creator.
        logins = [clean_login(name) for domain, _nicename, name in item.terms if domain == "author"]
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

    def _old_paths(self, item: WxrItem) -> list[str]:
        """The post's permalink path, and the ones it had under earlier slugs (_wp_old_slug)."""
        path = wordpress_path(item.link) if self._ours(item.link) else ""
        if not path or path == "/" or len(path) > 500:
            return []
        head = path.rstrip("/").rpartition("/")[0]
        trailing = "/" if path.endswith("/") else ""
        earlier = [f"{head}/{unquote(slug)}{trailing}" for slug in item.old_slugs if slug]
        return list(dict.fromkeys([path, *earlier]))

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
