import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from articles.related import related_articles
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def loaded(article: Article) -> Article:
    """The article as the detail view loads it (tags and categories prefetched)."""
    return (
        Article.objects.select_related("primary_category")
        .prefetch_related("tags", "categories")
        .get(pk=article.pk)
    )


def titles(links: list[dict]) -> list[str]:
    return [link["title"] for link in links]


@pytest.fixture
def cluster():
    politics = CategoryFactory(name="Politics", slug="politics")
    sports = CategoryFactory(name="Sports", slug="sports")
    now = timezone.now()

    def make(title, *, category=politics, tags=(), days=1, **kwargs):
        if not kwargs:  # drafts and scheduled ones keep their trait's time
            kwargs["published_at"] = now - datetime.timedelta(days=days)
        return ArticleFactory(title=title, primary_category=category, tags=list(tags), **kwargs)

    return {
        "subject": make("Subject", tags=["iraq", "oil"], days=1),
        "two_tags": make("Shares two tags", category=sports, tags=["iraq", "oil"], days=30),
        "one_tag_and_category": make("One tag and category", tags=["oil"], days=20),
        "one_tag": make("One tag", category=sports, tags=["iraq"], days=2),
        "category_new": make("Category only, newer", days=3),
        "category_old": make("Category only, older", days=40),
        "unrelated": make("Unrelated", category=sports, tags=["football"], days=1),
        "draft": make("Draft sharing everything", tags=["iraq", "oil"], draft=True),
        "future": make("Scheduled", tags=["iraq", "oil"], scheduled=True),
    }


def test_related_articles_rank_shared_tags_above_shared_categories(cluster):
    links = related_articles(loaded(cluster["subject"]), limit=10)
    assert titles(links) == [
        "Shares two tags",
        "One tag and category",
        "One tag",
        "Category only, newer",
        "Category only, older",
    ]
    assert links[0]["url"] == cluster["two_tags"].get_absolute_url()


def test_related_articles_leave_out_the_article_itself_drafts_and_unrelated(cluster):
    shown = titles(related_articles(loaded(cluster["subject"]), limit=10))
    assert "Subject" not in shown
    assert "Draft sharing everything" not in shown and "Scheduled" not in shown
    assert "Unrelated" not in shown


def test_an_article_with_no_tags_or_categories_has_no_related(cluster):
    lonely = ArticleFactory(primary_category=None, tags=[])
    assert related_articles(loaded(lonely)) == []


def test_related_is_two_queries_then_cached_until_the_article_changes(
    cluster, django_assert_num_queries
):
    subject = loaded(cluster["subject"])
    with django_assert_num_queries(2):  # the ranking, then the links' rows
        first = related_articles(subject)
    with django_assert_num_queries(0):
        assert related_articles(subject) == first
    subject.save()  # a new version (tags or categories may have changed)
    with django_assert_num_queries(2):
        related_articles(subject)


def test_related_query_count_does_not_grow_with_the_site(django_assert_num_queries):
    category = CategoryFactory()
    subject = ArticleFactory(primary_category=category, tags=["a"], with_image=True)
    for _ in range(3):
        ArticleFactory(primary_category=category, tags=["a"], with_image=True)
    subject = loaded(subject)
    with django_assert_num_queries(2):
        assert len(related_articles(subject)) == 3
    for _ in range(20):
        ArticleFactory(primary_category=category, tags=["a"], with_image=True)
    subject.save()
    with django_assert_num_queries(2):
        assert len(related_articles(subject)) == 4


def test_article_page_ends_with_related_articles(client, cluster):
    html = client.get(cluster["subject"].get_absolute_url()).content.decode()
    assert 'aria-labelledby="related-articles-heading"' in html
    related_at = html.index("Related articles")
    assert html.index("Shares two tags", related_at) > related_at
    assert html.index('class="entry-content"') < related_at
