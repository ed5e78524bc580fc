import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db

FEEDS = [("articles:feed", "rss20"), ("articles:feed-atom", "atom10")]


def parse(response):
    assert response.status_code == 200, response.status_code
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.fixture
def rich_article():
    first = AuthorFactory(display_name="Juan Cole", slug="juan-cole")
    second = AuthorFactory(display_name="Guest Writer", slug="guest")
    article = ArticleFactory(
        with_image=True,
        title="Oil, water & power",
        dek="Why the Gulf runs on desalination.",
        body="<p>Full <strong>body</strong> text of the piece.</p><p>Second paragraph.</p>",
        authors=[first, second],
        tags=["water", "energy"],
        source_name="Partner Review",
        source_url="https://partner.example/original-piece",
    )
    article.categories.add(CategoryFactory(name="Environment", slug="environment"))
    return article


@pytest.mark.parametrize(("url_name", "version"), FEEDS)
def test_site_feed_is_valid_and_complete(client, rich_article, url_name, version):
    parsed = parse(client.get(reverse(url_name)))
    assert parsed.version == version
    assert parsed.feed.title and parsed.feed.link.startswith("http://testserver/")
    [entry] = parsed.entries
    assert entry.title == "Oil, water & power"
    assert entry.link == "http://testserver" + rich_article.get_absolute_url()
    assert entry.id == entry.link
    assert entry.published_parsed is not None
    assert "<strong>body</strong>" in entry.content[0].value  # the full article, not a teaser
    assert "desalination" in entry.summary
    assert {author.name for author in entry.authors} >= {"Juan Cole", "Guest Writer"}
    terms = {tag.term for tag in entry.tags}
    assert {"water", "energy", "Environment", rich_article.primary_category.name} <= terms
    image = rich_article.featured_image
    [enclosure] = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosure.href == "http://testserver" + image.file.url
    assert enclosure.type == "image/jpeg" and int(enclosure.length) == image.file.size
    assert entry.media_content[0]["url"] == "http://testserver" + image.file.url
    assert entry.media_content[0]["medium"] == "image"


def test_rss_names_the_source_of_republished_pieces(client, rich_article):
    parsed = parse(client.get(reverse("articles:feed")))
    assert parsed.entries[0].source.href == "https://partner.example/original-piece"
    assert parsed.entries[0].source.title == "Partner Review"
    atom = parse(client.get(reverse("articles:feed-atom")))
    via = [link for link in atom.entries[0].links if link.rel == "via"]
    assert via[0].href == "https://partner.example/original-piece"


def test_feed_holds_the_latest_twenty_published_articles(client):
    now = timezone.now()
    for days in range(25):
        ArticleFactory(
            title=f"Day {days}", published_at=now - datetime.timedelta(days=days, hours=1)
        )
    ArticleFactory(title="A draft", draft=True)
    ArticleFactory(title="Later", scheduled=True)
    for url_name, _ in FEEDS:
        titles = [entry.title for entry in parse(client.get(reverse(url_name))).entries]
        assert titles == [f"Day {days}" for days in range(20)]


def test_category_tag_and_author_feeds_show_only_their_articles(client):
    politics = CategoryFactory(name="Politics", slug="politics")
    writer = AuthorFactory(slug="writer-x")
    ArticleFactory(title="Filed primary", primary_category=politics)
    further = ArticleFactory(title="Filed further")
    further.categories.add(politics)
    ArticleFactory(title="Tagged", tags=["yemen"])
    ArticleFactory(title="By writer", authors=[writer])
    cases = {
        ("category", "politics"): {"Filed primary", "Filed further"},
        ("tag", "yemen"): {"Tagged"},
        ("author", "writer-x"): {"By writer"},
    }
    for (kind, slug), expected in cases.items():
        for suffix in ("feed", "feed-atom"):
            parsed = parse(client.get(reverse(f"articles:{kind}-{suffix}", args=[slug])))
            assert {entry.title for entry in parsed.entries} == expected, (kind, suffix)
            assert slug in parsed.feed.link or kind == "author"


@pytest.mark.parametrize(
    "url", ["/category/nope/feed/", "/tag/nope/feed/atom/", "/author/nobody/feed/"]
)
def test_feeds_of_unknown_things_are_404(client, url):
    assert client.get(url).status_code == 404


def test_an_empty_site_still_has_a_valid_feed(client):
    for url_name, _ in FEEDS:
        assert parse(client.get(reverse(url_name))).entries == []


@pytest.mark.parametrize(("url_name", "version"), FEEDS)
def test_conditional_get_answers_304_until_something_changes(client, url_name, version):
    article = ArticleFactory(title="First")
    url = reverse(url_name)
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    article.title = "First, corrected"
    article.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag

    newer = client.get(url, HTTP_IF_NONE_MATCH=changed["ETag"])
    assert newer.status_code == 304
    ArticleFactory(title="Second", published_at=timezone.now())
    assert client.get(url, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 200


@pytest.mark.no_production_cache  # the clock is faked by moving the publish time
def test_a_scheduled_article_going_live_changes_the_etag(client, settings):
    ArticleFactory(title="Old")
    soon = ArticleFactory(title="Soon", scheduled=True)
    etag = client.get(reverse("articles:feed"))["ETag"]
    Article.objects.filter(pk=soon.pk).update(published_at=timezone.now())
    assert client.get(reverse("articles:feed"), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_feeds_run_a_fixed_number_of_queries(client, django_assert_num_queries, settings):
    settings.PAGE_CACHE_ENABLED = False  # a render from the database

    def fetch() -> None:
        assert client.get(reverse("articles:feed")).status_code == 200

    for _ in range(3):
        ArticleFactory(with_image=True, tags=["a", "b"])
    fetch()  # warm the publication and site caches
    with django_assert_num_queries(5):  # stamps, articles, authors, categories, tags
        fetch()
    for _ in range(15):
        ArticleFactory(with_image=True, tags=["c"])
    fetch()  # a change moves the generation on: the site's settings row is read again, once
    with django_assert_num_queries(5):
        fetch()


def test_every_page_links_the_site_feeds_and_list_pages_their_own(client):
    article = ArticleFactory(tags=["iraq"])
    category = article.primary_category
    author = article.authors.first()
    for url in ["/", article.get_absolute_url(), "/archives/", "/search/?q=x"]:
        html = client.get(url).content.decode()
        assert (
            '<link rel="alternate" type="application/rss+xml" title="Newsroom (RSS)" '
            'href="http://testserver/feed/">' in html
        ), url
        assert (
            'type="application/atom+xml"' in html and 'href="http://testserver/feed/atom/"' in html
        )
    scoped = {
        category.get_absolute_url(): f"/category/{category.slug}/feed/",
        "/tag/iraq/": "/tag/iraq/feed/",
        author.get_absolute_url(): f"/author/{author.slug}/feed/",
    }
    for page, feed in scoped.items():
        html = client.get(page).content.decode()
        assert f'href="http://testserver{feed}"' in html, page
        assert f'href="http://testserver{feed}atom/"' in html, page
