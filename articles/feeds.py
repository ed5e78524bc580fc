"""RSS 2.0 and Atom feeds: the whole site at /feed/ and /feed/atom/, and each category, tag and
author at /<kind>/<slug>/feed/ (and …/feed/atom/). The latest 20 articles, full content, every
author, the categories and tags, the featured image as enclosure and media:content, and the source
of republished pieces. Conditional GET (ETag, Last-Modified) keeps polling cheap.

Absolute addresses come from the request, not from django.contrib.sites (whose default domain is
"example.com" until someone edits it)."""

import hashlib
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.http import http_date
from taggit.models import Tag

from articles.models import Article, Author, Category, Publication
from articles.seo import absolute, social_image

FEED_SIZE = 20


class FullContentRssFeed(Rss201rev2Feed):
    """RSS 2.0 with content:encoded (the whole article), media:content (the featured image),
    dc:creator for each author and <source> for republished pieces."""

    def rss_attributes(self) -> dict:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:media": "http://search.yahoo.com/mrss/",
        }

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name in item["author_names"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("content:encoded", item["content_html"])
        if image := item["social_image"]:
            handler.addQuickElement("media:content", None, media_attributes(image))
        if item["source_url"]:
            handler.addQuickElement(
                "source", item["source_name"] or item["source_url"], {"url": item["source_url"]}
            )


class FullContentAtomFeed(Atom1Feed):
    """Atom with <content> (the whole article), one <author> per author, media:content and a
    rel="via" link to the source of republished pieces."""

    def root_attributes(self) -> dict:
        return {**super().root_attributes(), "xmlns:media": "http://search.yahoo.com/mrss/"}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, url in zip(item["author_names"], item["author_urls"], strict=True):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if image := item["social_image"]:
            handler.addQuickElement("media:content", None, media_attributes(image))
        if item["source_url"]:
            handler.addQuickElement(
                "link",
                None,
                {"rel": "via", "href": item["source_url"], "title": item["source_name"]},
            )


def media_attributes(image) -> dict:
    attributes = {"url": image.url, "medium": "image", "type": image.mime_type}
    if image.width:
        attributes.update(width=str(image.width), height=str(image.height))
    return attributes


@dataclass
class FeedScope:
    """What one feed shows, resolved once per request."""

    title: str
    description: str
    page_url: str  # absolute
    feed_url: str  # absolute
    articles: QuerySet
    request: HttpRequest


class ArticleFeed(Feed):
    """The site's feed. Subclasses narrow `scope()`; `atom=True` gives the Atom variant."""

    kind = "site"

    def __init__(self, *, atom: bool = False) -> None:
        super().__init__()
        self.atom = atom
        self.feed_type = FullContentAtomFeed if atom else FullContentRssFeed

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        scope = self.get_object(request, *args, **kwargs)
        stamps = list(
            scope.articles.newest_first().values_list("pk", "updated_at", "published_at")[
                :FEED_SIZE
            ]
        )
        fingerprint = f"{self.kind}|{self.atom}|{scope.title}|{stamps!r}"
        etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
        last_modified = max(
            (max(updated, published) for _, updated, published in stamps), default=None
        )
        # Whole seconds: HTTP dates have no fractions, so If-Modified-Since must compare equal.
        timestamp = int(last_modified.timestamp()) if last_modified else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
        if not_modified is not None:
            return not_modified
        response = super().__call__(request, *args, **kwargs)
        response["ETag"] = etag
        if timestamp:
            response["Last-Modified"] = http_date(timestamp)
        return response

    def get_object(self, request: HttpRequest, *args, **kwargs) -> FeedScope:
        # __call__ resolves the scope before Feed asks for it again: keep the first.
        cached = getattr(request, "_article_feed_scope", None)
        if cached is None:
            cached = self.scope(request, **kwargs)
            request._article_feed_scope = cached
        return cached

    def scope(self, request: HttpRequest, **kwargs) -> FeedScope:
        site = Publication.current()
        return self.make_scope(
            request,
            title=site.title,
            description=site.description or site.tagline or f"The latest from {site.title}",
            page_url=reverse("articles:home"),
            articles=Article.objects.published(),
        )

    def make_scope(self, request, *, title, description, page_url, articles) -> FeedScope:
        return FeedScope(
            title=title,
            description=description,
            page_url=absolute(request, page_url),
            feed_url=request.build_absolute_uri(request.path),
            articles=articles,
            request=request,
        )

    # --- The channel
    def title(self, scope: FeedScope) -> str:
        return scope.title

    def link(self, scope: FeedScope) -> str:
        return scope.page_url

    def feed_url(self, scope: FeedScope) -> str:
        return scope.feed_url

    def description(self, scope: FeedScope) -> str:
        return scope.description

    subtitle = description

    def author_name(self, scope: FeedScope) -> str:
        # Atom wants an author for every entry; the publication stands in for unsigned pieces.
        return Publication.current().title

    def feed_copyright(self) -> str:
        site = Publication.current()
        return site.copyright_holder or site.title

    def items(self, scope: FeedScope) -> list[Article]:
        articles = list(
            scope.articles.select_related("primary_category", "featured_image")
            .prefetch_related("authors", "categories", "tags")
            .newest_first()[:FEED_SIZE]
        )
        for article in articles:
            article.feed_request = scope.request
        return articles

    # --- Each article
    def item_title(self, article: Article) -> str:
        return article.title

    def item_link(self, article: Article) -> str:
        return absolute(article.feed_request, article.get_absolute_url())

    def item_guid(self, article: Article) -> str:
        return self.item_link(article)

    def item_description(self, article: Article) -> str:
        return article.summary

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return max(article.updated_at, article.published_at)

    def item_categories(self, article: Article) -> list[str]:
        return [category.name for category in article.all_categories()] + [
            tag.name for tag in article.tags.all()
        ]

    def item_enclosures(self, article: Article) -> list[Enclosure]:
        image = article.featured_image
        if image is None or not image.file:
            return []
        try:
            length = str(image.file.size)
        except (OSError, ValueError):  # a missing file must not take the feed down
            length = "0"
        return [
            Enclosure(
                absolute(article.feed_request, image.file.url),
                length,
                social_image(image).mime_type,
            )
        ]

    def item_extra_kwargs(self, article: Article) -> dict:
        authors = list(article.authors.all())
        return {
            "author_names": [author.display_name for author in authors],
            "author_urls": [
                absolute(article.feed_request, author.get_absolute_url()) for author in authors
            ],
            "content_html": article.body,
            "social_image": social_image(article.featured_image, article.feed_request),
            "source_name": article.source_name,
            "source_url": article.source_url,
        }


class CategoryFeed(ArticleFeed):
    kind = "category"

    def scope(self, request: HttpRequest, *, slug: str) -> FeedScope:
        category = get_object_or_404(Category, slug=slug)
        site = Publication.current()
        return self.make_scope(
            request,
            title=f"{site.title}: {category.name}",
            description=category.description or f"Articles filed under {category.name}",
            page_url=category.get_absolute_url(),
            articles=Article.objects.published().in_category(category),
        )


class TagFeed(ArticleFeed):
    kind = "tag"

    def scope(self, request: HttpRequest, *, slug: str) -> FeedScope:
        tag = get_object_or_404(Tag, slug=slug)
        site = Publication.current()
        return self.make_scope(
            request,
            title=f"{site.title}: {tag.name}",
            description=f"Articles tagged “{tag.name}”",
            page_url=reverse("articles:tag", kwargs={"slug": tag.slug}),
            articles=Article.objects.published().filter(tags=tag),
        )


class AuthorFeed(ArticleFeed):
    kind = "author"

    def scope(self, request: HttpRequest, *, slug: str) -> FeedScope:
        author = get_object_or_404(Author, slug=slug)
        site = Publication.current()
        return self.make_scope(
            request,
            title=f"{site.title}: {author.display_name}",
            description=f"Articles by {author.display_name}",
            page_url=author.get_absolute_url(),
            articles=Article.objects.published().filter(authors=author),
        )
