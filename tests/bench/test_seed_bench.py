"""`seed_bench` fills the site for the benchmark; page query counts do not grow with it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Article, Category, Image

pytestmark = pytest.mark.django_db


def seed(articles: int, subscribers: int = 0) -> None:
    call_command("seed_bench", articles=articles, subscribers=subscribers, images=2, verbosity=0)


def test_seed_bench_makes_realistic_published_articles():
    seed(30, subscribers=25)
    articles = Article.objects.filter(slug__startswith="bench-")
    assert articles.count() == 30
    assert articles.published().count() == 30
    sample = articles.prefetch_related("authors", "tags").first()
    assert 700 <= sample.word_count <= 950
    assert sample.authors.exists()
    assert 2 <= sample.tags.count() <= 5
    assert sample.primary_category.slug.startswith("bench-")
    assert articles.filter(featured_image__isnull=False).exists()
    assert Image.objects.filter(alt_text__startswith="Bench picture").count() == 2
    assert Article.objects.published().newest_first().first().slug == "bench-0"


def test_seed_bench_adds_newsletter_subscribers_when_the_app_has_them():
    from django.apps import apps

    try:
        subscriber = apps.get_model("newsletter", "Subscriber")
    except LookupError:
        pytest.skip("no newsletter Subscriber model")
    seed(3, subscribers=40)
    bench = subscriber.objects.filter(email__startswith="bench-")
    assert bench.count() == 40
    assert bench.filter(status="confirmed").exists()


def test_running_it_again_replaces_the_bench_rows_and_keeps_others():
    from tests.factories import ArticleFactory

    mine = ArticleFactory(title="Written by hand")
    seed(20)
    seed(10)
    assert Article.objects.filter(slug__startswith="bench-").count() == 10
    assert Article.objects.filter(pk=mine.pk).exists()
    assert Category.objects.filter(slug__startswith="bench-").count() == 12


def _queries_per_page() -> dict[str, int]:
    # One with a section and a picture: an article without a picture runs one query fewer.
    article = (
        Article.objects.published()
        .filter(primary_category__isnull=False, featured_image__isnull=False)
        .newest_first()
        .first()
    )
    category = article.primary_category
    tag = Tag.objects.filter(slug__startswith="bench-").first()
    tag_with_articles = (
        Tag.objects.filter(taggit_taggeditem_items__isnull=False, slug__startswith="bench-").first()
        or tag
    )
    pages = {
        "home": "/",
        "page 2": "/page/2/",
        "article": article.get_absolute_url(),
        "category": category.get_absolute_url(),
        "tag": f"/tag/{tag_with_articles.slug}/",
    }
    client = Client()
    counts = {}
    for name, path in pages.items():
        client.get(path)  # warm the per-process caches (menu, site settings)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def test_queries_per_page_do_not_grow_with_the_data():
    seed(25)
    small = _queries_per_page()
    seed(120)
    large = _queries_per_page()
    assert small == large


@pytest.mark.postgres
def test_bench_articles_are_searchable_on_postgres(using_postgres):
    if not using_postgres:
        pytest.skip("PostgreSQL search vectors")
    seed(5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'articles_article' AND column_name = 'search_vector'"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("no search vector column")
        cursor.execute(
            "SELECT count(*) FROM articles_article "
            "WHERE slug LIKE 'bench-%%' AND search_vector IS NULL"
        )
        assert cursor.fetchone()[0] == 0  # the paused triggers were run once per article
