"""The content model's rules: what counts as published, permalinks, video links, pages and menus."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.embeds import video_embed_url
from articles.models import Article, MenuItem, Page, Publication, reserved_slugs
from tests.factories import ArticleFactory, CategoryFactory, MenuItemFactory, PageFactory

pytestmark = pytest.mark.django_db


def test_published_means_live_status_and_a_publish_time_that_has_come():
    now = timezone.now()
    live = ArticleFactory(published_at=now - datetime.timedelta(minutes=1))
    scheduled_due = ArticleFactory(
        status=Article.Status.SCHEDULED, published_at=now - datetime.timedelta(minutes=1)
    )
    ArticleFactory(published_at=now + datetime.timedelta(minutes=1))
    ArticleFactory(scheduled=True)
    ArticleFactory(draft=True)
    ArticleFactory(in_review=True)
    # A draft with a past date stays a draft.
    ArticleFactory(status=Article.Status.DRAFT, published_at=now - datetime.timedelta(days=1))
    assert set(Article.objects.published()) == {live, scheduled_due}
    assert live.is_live and scheduled_due.is_live


def test_a_live_article_needs_a_publish_time_in_the_form_and_in_the_database():
    article = ArticleFactory.build(status=Article.Status.PUBLISHED, published_at=None)
    with pytest.raises(ValidationError, match="needs a time"):
        article.clean()
    article.primary_category.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        article.save()


def test_permalink_uses_the_local_publication_date(settings):
    article = ArticleFactory(
        slug="deir-ezzor",
        published_at=datetime.datetime(2017, 11, 4, 9, 30, tzinfo=datetime.UTC),
    )
    assert article.get_absolute_url() == "/2017/11/04/deir-ezzor/"


def test_body_is_sanitised_on_save():
    article = ArticleFactory(
        body='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x()">link</a></p>'
    )
    assert "onclick" not in article.body
    assert "<script" not in article.body
    assert "javascript:" not in article.body
    assert "Hi" in article.body


def test_summary_falls_back_to_the_first_words_of_the_body():
    article = ArticleFactory(dek="", body="<p>" + "word " * 60 + "</p>")
    assert article.summary.startswith("word word") and article.summary.endswith("…")
    assert len(article.summary.split()) == 40


def test_reading_time_counts_words():
    assert ArticleFactory(body="<p>" + "word " * 700 + "</p>").reading_minutes == 3
    assert ArticleFactory(body="<p>short</p>").reading_minutes == 1


def test_all_categories_lists_the_primary_first_and_each_once():
    primary, other = CategoryFactory(name="Primary"), CategoryFactory(name="Other")
    article = ArticleFactory(primary_category=primary)
    article.categories.set([other, primary])
    assert article.all_categories() == [primary, other]


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://example.com/video/1", ""),
        ("https://www.youtube.com/watch?v=<script>", ""),
        ("", ""),
    ],
)
def test_video_links_become_privacy_friendly_players(url, embed):
    assert video_embed_url(url) == embed


def test_a_video_must_be_youtube_or_vimeo():
    article = ArticleFactory.build(video_url="https://example.com/clip.mp4")
    with pytest.raises(ValidationError, match="YouTube or Vimeo"):
        article.clean()


@pytest.mark.parametrize(
    "slug", ["category", "archives", "feed", "2017", "donate", "healthz", "static", "wp-admin"]
)
def test_a_page_cannot_take_an_address_the_site_uses(slug):
    with pytest.raises(ValidationError):
        Page(title="x", slug=slug).clean()


@pytest.mark.urls("tests.articles.urls_with_a_shop")
def test_reserved_page_slugs_follow_the_url_configuration():
    assert "shop" in reserved_slugs()  # a new top-level address is reserved with no list to edit
    with pytest.raises(ValidationError, match="used by another part of the site"):
        Page(title="x", slug="shop").clean()
    Page(title="x", slug="shopping").clean()


def test_a_menu_item_points_at_exactly_one_thing():
    category = CategoryFactory(slug="economy")
    page = PageFactory(slug="about")
    assert MenuItemFactory(category=category, url="").href == "/category/economy/"
    assert MenuItemFactory(page=page, url="").href == "/about/"
    assert MenuItemFactory(url="/archives/").href == "/archives/"
    with pytest.raises(ValidationError):
        MenuItem(label="Both", category=category, url="/x/").clean()
    with pytest.raises(ValidationError):
        MenuItem(label="Relative", url="archives").clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        MenuItem.objects.create(label="None")


def test_menu_and_site_identity_are_cached_and_refreshed_on_edit(django_assert_num_queries, commit):
    MenuItemFactory(label="First", url="/a/", order=1)
    MenuItem.navigation()
    with django_assert_num_queries(0):
        assert [item.label for item in MenuItem.navigation()] == ["First"]
    commit(lambda: MenuItemFactory(label="Second", url="/b/", order=2))
    assert [item.label for item in MenuItem.navigation()] == ["First", "Second"]
    category = CategoryFactory(slug="economy")
    commit(lambda: MenuItemFactory(category=category, url="", order=3))
    assert MenuItem.navigation()[-1].href == "/category/economy/"
    category.slug = "the-economy"
    commit(category.save)  # the menu's address for it follows
    assert MenuItem.navigation()[-1].href == "/category/the-economy/"

    commit(Publication(title="Old title").save)
    assert Publication.current().title == "Old title"
    with django_assert_num_queries(0):
        Publication.current()
    commit(Publication(title="New title").save)
    assert Publication.current().title == "New title"
