"""Reader addresses are built from format strings (`articles.models.site_path`), not reverse(), for
speed: they must stay exactly what the URL configuration gives, with and without a script prefix."""

import datetime

import pytest
from django.urls import reverse, set_script_prefix

from articles.templatetags.articles_tags import tag_url
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["/", "/news/"])
def script_prefix(request):
    set_script_prefix(request.param)
    yield request.param
    set_script_prefix("/")


def test_built_addresses_equal_reversed_ones(script_prefix):
    article = ArticleFactory(
        slug="a-slug_2", published_at=datetime.datetime(2017, 3, 4, 23, 30, tzinfo=datetime.UTC)
    )
    article.tags.add("oil-prices")
    day = article.local_date
    category = CategoryFactory(slug="middle-east")
    author = AuthorFactory(slug="jane-doe")
    page = PageFactory(slug="about")
    tag = article.tags.get()

    assert article.get_absolute_url() == reverse(
        "articles:detail",
        kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": "a-slug_2"},
    )
    assert article.get_absolute_url().startswith(script_prefix)
    assert category.get_absolute_url() == reverse(
        "articles:category", kwargs={"slug": "middle-east"}
    )
    assert author.get_absolute_url() == reverse("articles:author", kwargs={"slug": "jane-doe"})
    assert page.get_absolute_url() == reverse("articles:page", kwargs={"path": "about"})
    child = PageFactory(slug="σχετικά", parent=page)  # a Greek slug below it: /about/σχετικά/
    assert child.get_absolute_url() == reverse("articles:page", kwargs={"path": "about/σχετικά"})
    assert "%CF%83" in child.get_absolute_url()  # percent-encoded, as reverse() gives it
    assert tag_url(tag) == reverse("articles:tag", kwargs={"slug": tag.slug})


def test_early_years_keep_four_digits():
    article = ArticleFactory(
        slug="old", published_at=datetime.datetime(999, 1, 2, 12, tzinfo=datetime.UTC)
    )
    day = article.local_date
    assert article.get_absolute_url() == reverse(
        "articles:detail", kwargs={"year": day.year, "month": 1, "day": 2, "slug": "old"}
    )
