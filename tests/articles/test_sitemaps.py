import datetime
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"s": SITEMAP_NS, "news": NEWS_NS}
# W3C Datetime, as the sitemap schema's tLastmod allows: a date, or a date and time with zone.
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")


def fetch_xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def local_path(loc: str) -> str:
    parsed = urlparse(loc)
    assert parsed.scheme == "http" and parsed.netloc == "testserver", loc
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def check_urlset(root: ET.Element) -> list[str]:
    """The sitemap schema's required parts: <urlset> of <url>, each with one absolute <loc>
    (under 2,048 characters), optional <lastmod> in W3C format."""
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    locations = []
    for url in root.findall("s:url", NS):
        [loc] = url.findall("s:loc", NS)
        assert loc.text and len(loc.text) < 2048
        for lastmod in url.findall("s:lastmod", NS):
            assert W3C_DATETIME.match(lastmod.text), lastmod.text
        locations.append(local_path(loc.text))
    return locations


@pytest.fixture
def content():
    politics = CategoryFactory(name="Politics", slug="politics")
    writer = AuthorFactory(slug="juan")
    old = ArticleFactory(
        title="Old one",
        primary_category=politics,
        authors=[writer],
        tags=["iraq"],
        published_at=datetime.datetime(2019, 6, 1, 12, tzinfo=datetime.UTC),
    )
    new = ArticleFactory(title="New one", published_at=timezone.now() - datetime.timedelta(hours=3))
    republished = ArticleFactory(
        title="Republished",
        source_url="https://elsewhere.example/a",
        canonical_to_source=True,
        published_at=timezone.now() - datetime.timedelta(hours=2),
    )
    draft = ArticleFactory(title="Draft", draft=True)
    page = PageFactory(slug="about")
    PageFactory(slug="hidden", published=False)
    return {"old": old, "new": new, "republished": republished, "draft": draft, "page": page}


def test_index_lists_every_section_with_lastmod(client, content):
    root = fetch_xml(client, "/sitemap.xml")
    assert root.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    sections = {}
    for sitemap in root.findall("s:sitemap", NS):
        [loc] = sitemap.findall("s:loc", NS)
        [lastmod] = sitemap.findall("s:lastmod", NS)
        assert W3C_DATETIME.match(lastmod.text)
        sections[local_path(loc.text)] = lastmod.text
    year = timezone.now().year
    assert set(sections) == {
        f"/sitemap-articles-{year}.xml",
        "/sitemap-articles-2019.xml",
        "/sitemap-categories.xml",
        "/sitemap-tags.xml",
        "/sitemap-authors.xml",
        "/sitemap-pages.xml",
        "/sitemap-news.xml",
    }
    assert sections["/sitemap-articles-2019.xml"].startswith(
        content["old"].updated_at.date().isoformat()
    )


def test_every_section_is_a_valid_urlset_of_live_pages(client, content):
    index = fetch_xml(client, "/sitemap.xml")
    listed = []
    for loc in index.findall("s:sitemap/s:loc", NS):
        path = local_path(loc.text)
        if path == "/sitemap-news.xml":
            continue
        listed += check_urlset(fetch_xml(client, path))
    assert content["old"].get_absolute_url() in listed
    assert content["new"].get_absolute_url() in listed
    assert content["republished"].get_absolute_url() not in listed  # its canonical is elsewhere
    assert content["draft"].get_absolute_url() not in listed
    assert "/category/politics/" in listed and "/tag/iraq/" in listed
    assert "/author/juan/" in listed and "/about/" in listed and "/hidden/" not in listed
    for path in listed:
        assert client.get(path).status_code == 200, path


def test_year_sections_hold_only_their_year(client, content):
    locations = check_urlset(fetch_xml(client, "/sitemap-articles-2019.xml"))
    assert locations == [content["old"].get_absolute_url()]
    assert client.get("/sitemap-articles-1999.xml").status_code == 404
    assert client.get("/sitemap-nonsense.xml").status_code == 404


def test_news_sitemap_has_the_last_two_days_with_required_news_tags(client, content):
    ArticleFactory(title="Three days ago", published_at=timezone.now() - datetime.timedelta(days=3))
    root = fetch_xml(client, "/sitemap-news.xml")
    urls = root.findall("s:url", NS)
    assert [local_path(url.find("s:loc", NS).text) for url in urls] == [
        content["new"].get_absolute_url()
    ]
    news = urls[0].find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "Newsroom"
    assert news.find("news:publication/news:language", NS).text == "en"
    assert W3C_DATETIME.match(news.find("news:publication_date", NS).text)
    assert news.find("news:title", NS).text == "New one"


def test_robots_txt_points_to_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text
    assert "Disallow: /admin/" in text and "User-agent: *" in text


def test_sitemap_index_query_count_does_not_grow_with_articles(client, django_assert_num_queries):
    def fetch() -> None:
        assert client.get("/sitemap.xml").status_code == 200

    for year in (2018, 2019):
        ArticleFactory(published_at=datetime.datetime(year, 3, 1, tzinfo=datetime.UTC))
    fetch()
    # years + per year (count, lastmod) + categories/tags/authors/pages (count, lastmod) + news
    with django_assert_num_queries(1 + 2 * 2 + 4 * 2 + 1):
        fetch()
    for _ in range(10):
        ArticleFactory(published_at=datetime.datetime(2019, 5, 1, tzinfo=datetime.UTC))
    with django_assert_num_queries(1 + 2 * 2 + 4 * 2 + 1):
        fetch()
    assert Article.objects.count() == 12
