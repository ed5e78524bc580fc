"""What machines read about a page: title, description, canonical address, Open Graph and Twitter
cards, feed autodiscovery and, on articles, JSON-LD `NewsArticle`. Built from the page's own context
(the view and the objects it shows), so no view has to pass anything and no query is added."""

import hashlib
import json
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.html import strip_tags
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from taggit.models import Tag

from articles.models import (
    BYLINE_ORDER_SQL,
    Article,
    Author,
    Category,
    Image,
    Page,
    Publication,
    article_authors_sql,
)

DESCRIPTION_CHARACTERS = 300
# Social networks draw cards at 1200 pixels wide; a rendition at least that wide looks sharp.
SOCIAL_IMAGE_WIDTH = 1200
# "original" holds renditions in the upload's own format (articles.renditions).
SOCIAL_IMAGE_FORMATS = ("original", "jpeg", "jpg", "png", "webp")


@dataclass
class SocialImage:
    url: str
    width: int
    height: int
    alt: str = ""

    @property
    def mime_type(self) -> str:
        return mimetypes.guess_type(self.url.split("?")[0])[0] or "image/jpeg"


@dataclass
class FeedLink:
    title: str
    url: str
    mime_type: str


@dataclass
class PageMeta:
    title: str
    description: str
    canonical_url: str
    og_type: str = "website"
    image: SocialImage | None = None
    feeds: list[FeedLink] = field(default_factory=list)
    json_ld: SafeString | None = None
    published_time: str = ""
    modified_time: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    beacon_url: str = ""


def absolute(request: HttpRequest | None, url: str) -> str:
    if url.startswith(("http://", "https://")) or request is None:
        return url
    return request.build_absolute_uri(url)


def social_image(image: Image | None, request: HttpRequest | None = None) -> SocialImage | None:
    """The featured image as social cards want it: a rendition about 1200 pixels wide in a format
    every network reads, or the original when there are no renditions (yet)."""
    if image is None or not image.file:
        return None
    candidates = []
    renditions = image.renditions if isinstance(image.renditions, dict) else {}
    for fmt in SOCIAL_IMAGE_FORMATS:
        candidates = [r for r in renditions.get(fmt) or [] if isinstance(r, dict) and r.get("url")]
        if candidates:
            break
    if candidates:
        wide_enough = [r for r in candidates if int(r.get("width") or 0) >= SOCIAL_IMAGE_WIDTH]
        chosen = (
            min(wide_enough, key=lambda r: int(r["width"]))
            if wide_enough
            else max(candidates, key=lambda r: int(r.get("width") or 0))
        )
        return SocialImage(
            absolute(request, chosen["url"]),
            int(chosen.get("width") or 0),
            int(chosen.get("height") or 0),
            image.alt_text,
        )
    return SocialImage(absolute(request, image.file.url), image.width, image.height, image.alt_text)


def canonical_url(article: Article, request: HttpRequest | None) -> str:
    """The article's own address, or the original's when the editor says the source is canonical."""
    if article.canonical_to_source and article.source_url:
        return article.source_url
    return absolute(request, article.get_absolute_url())


def describe(text: str) -> str:
    return Truncator(" ".join(strip_tags(text).split())).chars(DESCRIPTION_CHARACTERS)


def site_feeds(request: HttpRequest | None, site: Publication) -> list[FeedLink]:
    return [
        FeedLink(f"{site.title} (RSS)", absolute(request, reverse("articles:feed")), "rss"),
        FeedLink(f"{site.title} (Atom)", absolute(request, reverse("articles:feed-atom")), "atom"),
    ]


def page_meta(context) -> PageMeta:
    """The PageMeta for whatever page `context` renders (article, page, category, tag, author,
    search, or any list)."""
    request = context.get("request")
    site = Publication.current()
    view = context.get("view")
    shown = getattr(view, "object", None)
    page = context.get("page_obj")
    if callable(page):  # a listing hands its page over as a callable (articles.views.ListingView)
        page = page()
    page_number = getattr(page, "number", 1)
    path = request.path if request else "/"
    meta = PageMeta(
        title=site.title,
        description=describe(site.description or site.tagline or site.title),
        canonical_url=absolute(request, path),
        feeds=site_feeds(request, site),
    )

    if isinstance(shown, Article):
        fill_article_meta(meta, shown, request, site)
    elif isinstance(shown, Page):
        meta.title = shown.title
        meta.description = describe(shown.body) or meta.description
    elif isinstance(context.get("category"), Category):
        category = context["category"]
        meta.title = category.name
        meta.description = (
            describe(category.description) or f"Articles filed under {category.name}."
        )
        meta.feeds += scoped_feeds(request, "category", category.slug, category.name)
    elif isinstance(context.get("author"), Author):
        author = context["author"]
        meta.title = author.display_name
        meta.og_type = "profile"
        meta.description = describe(author.bio) or f"Articles by {author.display_name}."
        meta.feeds += scoped_feeds(request, "author", author.slug, author.display_name)
    elif context.get("tag") is not None and getattr(context["tag"], "slug", None):
        tag = context["tag"]
        meta.title = f"Tagged “{tag.name}”"
        meta.description = f"Articles tagged “{tag.name}”."
        meta.feeds += scoped_feeds(request, "tag", tag.slug, tag.name)
    elif context.get("heading"):
        meta.title = str(context["heading"])
    if page_number and page_number > 1 and meta.og_type != "article":
        meta.title = f"{meta.title} – page {page_number}"
    return meta


def scoped_feeds(request, kind: str, slug: str, name: str) -> list[FeedLink]:
    return [
        FeedLink(
            f"{name} (RSS)", absolute(request, reverse(f"articles:{kind}-feed", args=[slug])), "rss"
        ),
        FeedLink(
            f"{name} (Atom)",
            absolute(request, reverse(f"articles:{kind}-feed-atom", args=[slug])),
            "atom",
        ),
    ]


def fill_article_meta(meta: PageMeta, article: Article, request, site: Publication) -> None:
    # The head is the page's first part to read the bylines and terms: fetch them once here for
    # the rest of the page too (a page whose parts are kept never gets this far).
    fetch_bylines_and_terms(article)
    meta.title = article.title
    meta.description = describe(article.summary)
    meta.canonical_url = canonical_url(article, request)
    meta.og_type = "article"
    meta.image = social_image(article.featured_image, request)
    meta.published_time = article.published_at.isoformat() if article.published_at else ""
    meta.modified_time = article.updated_at.isoformat() if article.updated_at else ""
    meta.section = article.primary_category.name if article.primary_category else ""
    meta.tags = [tag.name for tag in article.tags.all()]
    authors = list(article.authors.all())
    meta.authors = [author.display_name for author in authors]
    meta.beacon_url = reverse("articles:record-view", args=[article.pk])
    meta.json_ld = json_ld_script(news_article_data(article, request, site, meta, authors))


@dataclass(frozen=True)
class LinkedRows:
    """Rows of `model` linked to an article: `SELECT <alias>.* <source> ORDER BY <order>`."""

    model: type[Model]
    alias: str
    source: str
    order: str

    @property
    def sql(self) -> str:
        return f"SELECT {self.alias}.* {self.source} ORDER BY {self.order}"


# An article's authors, categories and tags, in the order prefetch_related() gave them: the
# models' Meta.ordering (authors of the same name by id, as the listings' bylines), tags by id (as
# taggit's DISTINCT prefetch query returned them). Hand-written rather than prefetch_related():
# building its three ORM queries took 3 ms, a fifth of an article page built from the database;
# on PostgreSQL these come in one round trip (0.5 ms), elsewhere in three plain queries (1 ms).
BYLINES_AND_TERMS = {
    "authors": LinkedRows(Author, "author", article_authors_sql("%(article)s"), BYLINE_ORDER_SQL),
    "categories": LinkedRows(
        Category,
        "category",
        """FROM articles_category category
        JOIN articles_article_categories link ON link.category_id = category.id
        WHERE link.article_id = %(article)s""",
        'category."order", category.name',
    ),
    "tags": LinkedRows(
        Tag,
        "tag",
        """FROM taggit_tag tag
        JOIN taggit_taggeditem link ON link.tag_id = tag.id
        WHERE link.content_type_id = %(article_type)s AND link.object_id = %(article)s""",
        "tag.id",
    ),
}


# The article's section and picture. Its own row is read alone (articles.rows.live_article):
# joining them cost the database more than the row, on every page whose parts are kept. A page
# built from the database reads them here instead, in the same statement as the lists.
SECTION_AND_PICTURE = {
    "primary_category": LinkedRows(
        Category, "category", "FROM articles_category category WHERE category.id = %(section)s", "1"
    ),
    "featured_image": LinkedRows(
        Image, "image", "FROM articles_image image WHERE image.id = %(picture)s", "1"
    ),
}


def fetch_bylines_and_terms(article: Article) -> None:
    """Fill `article.authors.all()`, `.categories.all()` and `.tags.all()` as prefetch_related()
    would (those already prefetched are left as they are); on PostgreSQL, its section and picture
    too, as select_related() would, in the same statement (elsewhere the article's row comes with
    them joined: `articles.rows.live_article`)."""
    prefetched = article.__dict__.setdefault("_prefetched_objects_cache", {})
    wanted = {name: rows for name, rows in BYLINES_AND_TERMS.items() if name not in prefetched}
    related = {}
    if connection.vendor == "postgresql":
        for name, rows in SECTION_AND_PICTURE.items():
            relation = Article._meta.get_field(name)
            if getattr(article, relation.attname) is not None and not relation.is_cached(article):
                related[name] = rows
    if not wanted and not related:
        return
    params = {
        "article": article.pk,
        "article_type": ContentType.objects.get_for_model(Article).pk,
        "section": article.primary_category_id,
        "picture": article.featured_image_id,
    }
    if connection.vendor == "postgresql":
        found = read_as_json_arrays(wanted | related, params)
        for name in related:
            setattr(article, name, found.pop(name)[0])
    else:
        found = {
            name: list(rows.model.objects.raw(rows.sql, params)) for name, rows in wanted.items()
        }
    for name, instances in found.items():
        # The relation's own queryset holds the rows, as with prefetch_related(): a further
        # .filter() on it still reads this article's rows only.
        queryset = getattr(article, name).all()
        queryset._result_cache = instances
        queryset._prefetch_done = True
        prefetched[name] = queryset


def read_as_json_arrays(wanted: dict[str, LinkedRows], params: dict) -> dict[str, list[Model]]:
    """Each list's rows as a JSON array, all in one statement (a round trip cost about as much as
    reading the rows). Each value is made what its field holds (`to_python`: a moment, which JSON
    gives as text); tests/articles/test_seo.py compares the instances with the ORM's."""
    arrays = ", ".join(
        f"(SELECT coalesce(json_agg({rows.alias} ORDER BY {rows.order}), '[]') {rows.source})"
        for rows in wanted.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {arrays}", params)
        arrays_read = cursor.fetchone()
    found = {}
    for (name, rows), objects in zip(wanted.items(), arrays_read, strict=True):
        fields = rows.model._meta.concrete_fields
        names = [field.attname for field in fields]
        found[name] = [
            rows.model.from_db(
                connection.alias, names, [field.to_python(row[field.column]) for field in fields]
            )
            for row in objects
        ]
    return found


def news_article_data(
    article: Article,
    request: HttpRequest | None,
    site: Publication,
    meta: PageMeta,
    authors: list[Author],
) -> dict:
    """schema.org NewsArticle, with the fields Google's article rich results ask for (what the
    page's `meta` already holds is taken from it)."""
    own_url = absolute(request, article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": Truncator(article.title).chars(110),
        "description": meta.description,
        "url": own_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": meta.canonical_url},
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": (article.updated_at or article.published_at).isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": author.display_name,
                "url": absolute(request, author.get_absolute_url()),
            }
            for author in authors
        ]
        or [{"@type": "Organization", "name": site.title}],
        "publisher": {
            "@type": "Organization",
            "name": site.title,
            "url": absolute(request, "/"),
            "logo": {
                "@type": "ImageObject",
                "url": absolute(request, static("img/favicon.svg")),
            },
        },
        "wordCount": article.word_count,
    }
    if image := meta.image:
        data["image"] = [
            {"@type": "ImageObject", "url": image.url, "width": image.width, "height": image.height}
        ]
    if meta.section:
        data["articleSection"] = meta.section
    if meta.tags:
        data["keywords"] = meta.tags
    if article.source_name or article.source_url:
        source = {"@type": "CreativeWork"}
        if article.source_name:
            source["publisher"] = {"@type": "Organization", "name": article.source_name}
        if article.source_url:
            source["url"] = article.source_url
        data["isBasedOn"] = source
    return {key: value for key, value in data.items() if value is not None}


def json_ld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> block. `<`, `>` and `&` are escaped inside the JSON so
    no text can close the element. A data block is not executed, so the CSP does not apply."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def conditional_article_response(
    request: HttpRequest, article: Article, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """Answer 304 Not Modified when the reader's copy is current, else render with ETag and
    Last-Modified. The ETag covers the article and the site's version (the page cache's generation
    and release, `request.site_version`), which moves with any change a page shows: a newer
    article (the next link, related links), the sidebar, the menu. Last-Modified is the article's
    own; a client that sends only If-Modified-Since may keep old neighbour links until the article
    itself changes. Signed-in staff always get a fresh page."""
    if request.user.is_authenticated:
        return render()
    changed = max(filter(None, [article.updated_at, article.published_at]))
    fingerprint = (
        f"{article.pk}|{article.updated_at.isoformat()}|{getattr(request, 'site_version', '')}"
    )
    etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
    # Whole seconds: HTTP dates have no fractions, so If-Modified-Since must compare equal.
    timestamp = int(changed.timestamp())
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is not None:
        return not_modified
    response = render()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    return response
