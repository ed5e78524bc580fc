import json
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.urls import reverse

from articles.models import Article, Publication
from articles.seo import fetch_bylines_and_terms, social_image
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    ImageFactory,
    PageFactory,
    SidebarBlockFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    """Collects <title>, <meta>, <link> and JSON-LD blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.json_ld: list[str] = []
        self._in = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json_ld"
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in = ""

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json_ld":
            self.json_ld[-1] += data

    def one(self, key: str) -> str:
        [value] = self.meta[key]
        return value

    def canonical(self) -> str:
        [link] = [link for link in self.links if link.get("rel") == "canonical"]
        return link["href"]


def head_of(client, url: str) -> HeadParser:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


# the article with its section and picture; its authors, categories and tags (one query on
# PostgreSQL, three elsewhere); the previous and next articles (one UNION)
TERMS_QUERIES = 1 if connection.vendor == "postgresql" else 3
ARTICLE_PAGE_QUERIES = 2 + TERMS_QUERIES
REQUIRED = ["description", "og:title", "og:description", "og:type", "og:url", "og:site_name"]
REQUIRED += ["twitter:card", "twitter:title", "twitter:description"]


@pytest.fixture
def site():
    return Publication.objects.create(
        title="Informed Notes", description="Commentary on the Middle East and the world."
    )


@pytest.fixture
def article(site):
    return ArticleFactory(
        with_image=True,
        title="Why the <Strait> matters",
        dek="Shipping lanes, oil and leverage.",
        tags=["shipping"],
        authors=[AuthorFactory(display_name="Juan Cole", slug="juan-cole")],
    )


def test_every_page_type_has_title_description_canonical_and_cards(client, article):
    page = PageFactory(slug="about", title="About us", body="<p>Who we are and why.</p>")
    category = article.primary_category
    pages = {
        "/": ("Informed Notes", "website", "Commentary on the Middle East"),
        article.get_absolute_url(): ("Why the <Strait> matters", "article", "Shipping lanes"),
        category.get_absolute_url(): (category.name, "website", f"filed under {category.name}"),
        "/tag/shipping/": ("Tagged “shipping”", "website", "Articles tagged"),
        "/author/juan-cole/": ("Juan Cole", "profile", "Writes about the region."),
        page.get_absolute_url(): ("About us", "website", "Who we are and why."),
        "/archives/": ("Informed Notes", "website", "Commentary"),
        "/search/?q=strait": ("Informed Notes", "website", "Search the articles"),
    }
    for url, (title, og_type, description) in pages.items():
        head = head_of(client, url)
        assert head.title.strip(), url
        for key in REQUIRED:
            assert head.one(key), (url, key)
        assert head.one("og:title") == title, url
        assert head.one("og:type") == og_type, url
        assert description in head.one("description"), url
        canonical = head.canonical()
        assert canonical == head.one("og:url")
        assert canonical == "http://testserver" + url.split("?")[0], url


def test_article_cards_use_the_featured_image_and_article_tags(client, article):
    head = head_of(client, article.get_absolute_url())
    image = article.featured_image
    assert head.one("og:image") == "http://testserver" + image.file.url
    assert head.one("og:image:width") == str(image.width)
    assert head.one("og:image:alt") == image.alt_text
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:image") == head.one("og:image")
    assert head.one("article:published_time").startswith(article.published_at.date().isoformat())
    assert head.meta["article:tag"] == ["shipping"]
    assert head.meta["article:author"] == ["Juan Cole"]


def test_a_page_without_image_gets_a_summary_card(client, site):
    article = ArticleFactory()
    head = head_of(client, article.get_absolute_url())
    assert head.one("twitter:card") == "summary"
    assert "og:image" not in head.meta


def test_social_image_prefers_a_wide_rendition_and_falls_back_to_the_original():
    image = ImageFactory()
    assert social_image(image).url == image.file.url
    image.renditions = {
        "webp": [{"width": 1600, "height": 900, "url": "/media/r/pic-1600.webp"}],
        "original": [
            {"width": 640, "height": 360, "url": "/media/r/pic-640.jpg"},
            {"width": 1280, "height": 720, "url": "/media/r/pic-1280.jpg"},
            {"width": 2000, "height": 1125, "url": "/media/r/pic-2000.jpg"},
        ],
    }
    chosen = social_image(image)
    assert (chosen.url, chosen.width, chosen.height) == ("/media/r/pic-1280.jpg", 1280, 720)
    assert chosen.mime_type == "image/jpeg"
    image.renditions = {"original": [{"width": 640, "height": 360, "url": "/media/r/small.png"}]}
    assert social_image(image).url == "/media/r/small.png"


def test_json_ld_news_article_parses_with_required_fields(client, article):
    head = head_of(client, article.get_absolute_url())
    [block] = head.json_ld
    assert "<Strait>" not in block  # no markup can close the element
    data = json.loads(block)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Why the <Strait> matters"
    assert data["datePublished"].startswith(article.published_at.date().isoformat())
    assert data["dateModified"]
    assert data["author"] == [
        {"@type": "Person", "name": "Juan Cole", "url": "http://testserver/author/juan-cole/"}
    ]
    assert data["image"][0]["url"] == "http://testserver" + article.featured_image.file.url
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Informed Notes"
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/")
    assert data["mainEntityOfPage"]["@id"] == "http://testserver" + article.get_absolute_url()


def test_only_articles_carry_json_ld(client, article):
    for url in ["/", article.primary_category.get_absolute_url(), "/archives/"]:
        assert head_of(client, url).json_ld == [], url


def test_republished_article_can_point_its_canonical_to_the_source(client, site):
    article = ArticleFactory(source_name="Tomdispatch", source_url="https://source.example/orig")
    head = head_of(client, article.get_absolute_url())
    assert head.canonical() == "http://testserver" + article.get_absolute_url()
    data = json.loads(head.json_ld[0])
    assert data["isBasedOn"]["url"] == "https://source.example/orig"
    assert data["isBasedOn"]["publisher"]["name"] == "Tomdispatch"

    article.canonical_to_source = True
    article.save()
    head = head_of(client, article.get_absolute_url())
    assert head.canonical() == "https://source.example/orig"
    assert json.loads(head.json_ld[0])["mainEntityOfPage"]["@id"] == "https://source.example/orig"


def test_canonical_to_source_needs_a_source_address(site):
    from django.core.exceptions import ValidationError

    article = ArticleFactory.build(canonical_to_source=True, source_url="")
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "canonical_to_source" in error.value.message_dict


def test_listing_pages_beyond_the_first_say_their_page(client, site):
    for _ in range(12):
        ArticleFactory()
    head = head_of(client, "/page/2/")
    assert head.one("og:title") == "Informed Notes – page 2"
    assert head.canonical() == "http://testserver/page/2/"


def test_article_answers_304_to_a_reader_with_a_current_copy(client, article, commit):
    url = article.get_absolute_url()
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    article.dek = "A new dek."
    article.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200

    fresh_etag = client.get(url)["ETag"]
    commit(lambda: ArticleFactory(title="A newer article changes the next link"))
    assert client.get(url, HTTP_IF_NONE_MATCH=fresh_etag).status_code == 200


def test_a_sidebar_change_is_not_answered_with_a_stale_304(client, article, commit):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    commit(lambda: SidebarBlockFactory(title="Fund drive ends Friday"))
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_signed_in_staff_always_get_a_fresh_article(client, article):
    etag = client.get(article.get_absolute_url())["ETag"]
    client.force_login(UserFactory(is_staff=True))
    response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200


def test_article_page_query_count_is_pinned(client, django_assert_num_queries, site, settings):
    settings.PAGE_CACHE_ENABLED = settings.FRAGMENT_CACHE = False  # a render from the database
    category = CategoryFactory()
    article = ArticleFactory(with_image=True, tags=["one", "two"], primary_category=category)

    def fetch() -> None:
        assert client.get(article.get_absolute_url()).status_code == 200

    fetch()  # fills the caches (publication, navigation, related, popular)
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        fetch()
    for _ in range(10):
        ArticleFactory(with_image=True, tags=["one"], primary_category=category)
    fetch()
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        fetch()


def test_bylines_and_terms_are_fetched_as_prefetch_related_orders_them(django_assert_num_queries):
    """Every field of every row, so a field JSON would not give back as stored (a date) fails here
    on PostgreSQL, where the three lists come as JSON in one query."""
    article = ArticleFactory(
        authors=[
            AuthorFactory(display_name="Zoe", user=UserFactory(), avatar="avatars/zoe.png"),
            AuthorFactory(display_name="Adam", bio="Ünïcode “bio” & <more>"),
            AuthorFactory(display_name="Maya"),
        ],
        tags=["zebra", "apple", "mango"],
    )
    parent = CategoryFactory(name="Parent")
    article.categories.set(
        [
            CategoryFactory(name=name, order=order, parent=parent)
            for name, order in (("B", 2), ("C", 1), ("A", 2))
        ]
    )
    fetched = Article.objects.get(pk=article.pk)
    with django_assert_num_queries(TERMS_QUERIES):
        fetch_bylines_and_terms(fetched)
    prefetched = Article.objects.get(pk=article.pk)
    prefetch_related_objects([prefetched], "authors", "categories", "tags")

    def rows(article, name) -> list[dict]:
        return [
            {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
            for row in getattr(article, name).all()
        ]

    with django_assert_num_queries(0):
        for name in ("authors", "categories", "tags"):
            assert rows(fetched, name) == rows(prefetched, name), name
    assert [author.display_name for author in fetched.authors.all()] == ["Adam", "Maya", "Zoe"]
    AuthorFactory(display_name="Not on this article")
    assert fetched.authors.all().filter(display_name__startswith="N").count() == 0
    assert fetched.tags.all().first().name == prefetched.tags.all().first().name
    assert [category.name for category in fetched.categories.all()] == ["C", "A", "B"]


def test_meta_text_is_escaped(client, site):
    article = ArticleFactory(title='Quote " and <b>tags</b>', dek="A & B")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'content="Quote &quot; and &lt;b&gt;tags&lt;/b&gt;"' in html
    assert reverse("articles:record-view", args=[article.pk]) in html
