"""Query budget: the pages readers load most run a fixed number of queries, whatever they show.

Each test measures a page with 3 articles, then grows the data tenfold (30 articles, each with
several authors, tags and categories, and a picture) and pins the same count with
`django_assert_num_queries`. A per-row query anywhere (a byline, a kicker, a tag list, a picture)
makes the second count larger and fails the test.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.views import FEATURED_ON_HOME
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30
# A generous ceiling, so a page that is fixed but wasteful also shows up.
CEILING = 25


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def newsroom():
    """A category, tag and author shared by every article, so their listings grow with the data."""
    return {
        "category": CategoryFactory(name="Middle East", slug="middle-east"),
        "extra_categories": [CategoryFactory(), CategoryFactory()],
        "author": AuthorFactory(slug="lead-writer"),
    }


def add_articles(newsroom: dict, count: int, featured: bool = True) -> list:
    articles = []
    for number in range(count):
        article = ArticleFactory(
            primary_category=newsroom["category"],
            authors=[newsroom["author"], AuthorFactory(), AuthorFactory()],
            tags=["shared", f"tag-{number}-a", f"tag-{number}-b"],
            featured=featured,
            with_image=True,
            video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            source_name="The Levant Review",
        )
        article.categories.set(newsroom["extra_categories"])
        articles.append(article)
    return articles


def queries_for(client, url: str) -> int:
    client.get(url)  # warm the caches a real site keeps warm (site identity, menu, sidebar)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def assert_budget_holds(
    client, django_assert_num_queries, newsroom, url_for, featured: bool = True
) -> None:
    articles = add_articles(newsroom, SMALL, featured=featured)
    small = queries_for(client, url_for(articles[0]))
    assert small <= CEILING, f"{url_for(articles[0])} ran {small} queries"
    articles += add_articles(newsroom, LARGE - SMALL, featured=featured)
    url = url_for(articles[0])
    client.get(url)
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200


def test_home_page_query_count_does_not_grow(client, django_assert_num_queries, newsroom):
    # The featured articles on top are left out of Latest: with the box full from the start,
    # Latest has rows at both sizes.
    add_articles(newsroom, FEATURED_ON_HOME)
    assert_budget_holds(
        client, django_assert_num_queries, newsroom, lambda article: "/", featured=False
    )


def test_article_page_query_count_does_not_grow(client, django_assert_num_queries, newsroom):
    assert_budget_holds(
        client, django_assert_num_queries, newsroom, lambda article: article.get_absolute_url()
    )


@pytest.mark.parametrize(
    "url", ["/category/middle-east/", "/tag/shared/", "/author/lead-writer/", "/featured/"]
)
def test_listing_query_count_does_not_grow(client, django_assert_num_queries, newsroom, url):
    assert_budget_holds(client, django_assert_num_queries, newsroom, lambda article: url)


def test_date_archive_and_archives_query_counts_do_not_grow(
    client, django_assert_num_queries, newsroom
):
    articles = add_articles(newsroom, SMALL)
    year = f"/{articles[0].local_date.year}/"
    counts = {url: queries_for(client, url) for url in (year, "/archives/")}
    add_articles(newsroom, LARGE - SMALL)
    for url, count in counts.items():
        client.get(url)
        with django_assert_num_queries(count):
            client.get(url)
