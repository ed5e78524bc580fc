import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles_newest_first(client):
    older = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=3))
    newer = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=1))
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(newer.title) < html.index(older.title)


def test_drafts_and_future_articles_are_invisible(client):
    draft = ArticleFactory(draft=True, title="Secret draft")
    scheduled = ArticleFactory(scheduled=True, title="Tomorrow's news")
    html = client.get("/").content.decode()
    assert "Secret draft" not in html
    assert "Tomorrow&#x27;s news" not in html and "Tomorrow's news" not in html
    scheduled_url = scheduled.get_absolute_url()
    assert client.get(scheduled_url).status_code == 404
    assert Article.objects.published().filter(pk=draft.pk).count() == 0


def test_scheduled_article_appears_when_its_time_comes(client):
    article = ArticleFactory(scheduled=True)
    assert client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    article.refresh_from_db()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_article_page_shows_its_parts(client):
    category = CategoryFactory(name="Middle East", slug="middle-east")
    author = AuthorFactory(display_name="Ada Writer", slug="ada-writer")
    article = ArticleFactory(
        primary_category=category,
        authors=[author],
        tags=["Syria"],
        source_name="TeleSur",
        source_url="https://example.com/original",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_added_by="Juan",
        with_image=True,
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="kicker"' in html and "Middle East" in html
    assert f'href="{author.get_absolute_url()}"' in html
    assert "Via <a" in html and "TeleSur" in html
    assert "Filed Under:" in html and 'href="/tag/syria/"' in html
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "<iframe" not in html  # the player loads only when the reader clicks
    assert "Related video added by Juan" in html
    assert 'width="120" height="80"' in html
    for network in ("twitter.com/intent", "facebook.com/sharer", "reddit.com/submit", "bsky.app"):
        assert network in html
    assert html.count("<h1") == 1


def test_article_with_wrong_date_redirects_to_its_permalink(client):
    article = ArticleFactory()
    response = client.get(f"/2001/01/01/{article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_listing_pages_answer(client):
    category = CategoryFactory(slug="energy")
    author = AuthorFactory(slug="daniel")
    article = ArticleFactory(primary_category=category, authors=[author], tags=["Oil"])
    day = article.local_date
    for url in [
        "/category/energy/",
        "/tag/oil/",
        "/author/daniel/",
        f"/{day.year}/",
        f"/{day.year}/{day.month:02d}/",
        f"/{day.year}/{day.month:02d}/{day.day:02d}/",
        "/archives/",
        "/featured/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert article.title in client.get("/category/energy/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/category/nope/",
        "/tag/nope/",
        "/author/nope/",
        "/no-such-page/",
        "/2017/13/",
        "/2017/02/30/",
        "/page/999/",
        "/page/0/",
        "/?page=abc",
        "/2017/11/04/not-an-article/",
    ],
)
def test_unknown_things_are_404(client, url):
    ArticleFactory()
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_pagination_uses_wordpress_style_pages(client):
    ArticleFactory.create_batch(12)
    first = client.get("/").content.decode()
    assert 'href="/page/2/"' in first
    second = client.get("/page/2/")
    assert second.status_code == 200
    assert client.get("/page/1/").status_code == 301
    assert client.get("/page/3/").status_code == 404


def test_static_page(client):
    PageFactory(title="About us", slug="about", body="<p>Who we are</p><script>x()</script>")
    response = client.get("/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Who we are" in html and "<script>x()" not in html


def test_archives_counts_months(client):
    ArticleFactory(published_at=datetime.datetime(2019, 3, 4, 12, tzinfo=datetime.UTC))
    ArticleFactory(published_at=datetime.datetime(2019, 3, 9, 12, tzinfo=datetime.UTC))
    ArticleFactory(published_at=datetime.datetime(2020, 1, 2, 12, tzinfo=datetime.UTC))
    html = client.get(reverse("articles:archives")).content.decode()
    assert 'href="/2019/03/"' in html and "(2)" in html
    assert 'href="/2020/01/"' in html
