"""The writing desk's rough edges: what the editor may open, what a refusal looks like, the
contributor's own work first, and "View on site" going to SITE_URL."""

import datetime

import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, PopularOverride
from tests.articles.newsroom_roles import change_url
from tests.factories import ArticleFactory, CategoryFactory, PageFactory

pytestmark = pytest.mark.django_db

# Every admin the README gives the editor: articles, categories, tags, menu, pages, redirects
# (both kinds), the Popular box, the library, bylines, the publication; newsletter and donations.
EDITOR_ADMINS = [
    "articles/article",
    "articles/author",
    "articles/category",
    "articles/image",
    "articles/menuitem",
    "articles/page",
    "articles/popularoverride",
    "wordpress/legacyredirect",
    "articles/articleviewday",
    "articles/publication",
    "taggit/tag",
    "redirects/redirect",
    "newsletter/subscriber",
    "newsletter/issue",
    "newsletter/delivery",
    "donations/campaign",
    "donations/donation",
    "donations/paypalnotification",
    "donations/promotion",
    "donations/sociallink",
    "donations/sidebarblock",
]
EDITOR_ADD_FORMS = [
    "articles/popularoverride",
    "wordpress/legacyredirect",
    "redirects/redirect",
    "articles/menuitem",
    "articles/page",
]


@pytest.mark.parametrize("admin_path", EDITOR_ADMINS)
def test_editor_opens_every_admin_the_readme_gives_them(editor_client, admin_path):
    response = editor_client.get(f"/admin/{admin_path}/")
    assert response.status_code == 200, admin_path


@pytest.mark.parametrize("admin_path", EDITOR_ADD_FORMS)
def test_editor_may_add_popular_overrides_and_redirects(editor_client, admin_path):
    assert editor_client.get(f"/admin/{admin_path}/add/").status_code == 200


def test_editor_pins_an_article_in_the_popular_box(editor_client):
    article = ArticleFactory()
    response = editor_client.post(
        "/admin/articles/popularoverride/add/",
        {"article": article.pk, "action": "pin", "position": "1", "until": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PopularOverride.objects.get(article=article).action == "pin"


def test_forbidden_admin_page_keeps_the_admin_layout_and_lists_what_the_user_may_open(
    contributor_client,
):
    response = contributor_client.get("/admin/articles/menuitem/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Your account may not open this page." in text
    assert 'id="header"' in text  # the admin's own layout, not bare "403 Forbidden"
    assert "/admin/articles/article/" in text  # what a contributor may do instead
    assert "/admin/articles/menuitem/" not in text.split("errornote", 1)[1]


def test_opening_another_writers_article_says_so_instead_of_perhaps_deleted(contributor_client):
    other = ArticleFactory(draft=True, title="Not yours")
    response = contributor_client.get(change_url(other))
    assert response.status_code == 403
    text = response.content.decode()
    assert "another writer" in text
    assert "Perhaps it was deleted" not in text
    assert "Not yours" not in text  # the refusal does not leak the article


def test_an_article_that_really_is_gone_still_says_so(contributor_client):
    response = contributor_client.get("/admin/articles/article/999999/change/", follow=True)
    assert "doesn’t exist" in response.content.decode()


def test_contributors_drafts_and_reviews_come_first_in_their_list(contributor_client, contributor):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    published = [
        ArticleFactory(
            title=f"Published piece {n}",
            created_by=contributor,
            authors=[contributor.author_profile],
            published_at=long_ago + datetime.timedelta(days=n),
        )
        for n in range(3)
    ]
    draft = ArticleFactory(
        draft=True, title="My draft", created_by=contributor, authors=[contributor.author_profile]
    )
    review = ArticleFactory(
        in_review=True,
        title="My piece in review",
        created_by=contributor,
        authors=[contributor.author_profile],
    )
    Article.objects.filter(pk=draft.pk).update(updated_at=long_ago)  # oldest change of all
    response = contributor_client.get("/admin/articles/article/")
    listed = [article.pk for article in response.context["cl"].result_list]
    assert set(listed[:2]) == {draft.pk, review.pk}
    assert listed[0] == review.pk  # then the most recently changed first
    assert set(listed[2:]) == {article.pk for article in published}


def test_editor_list_keeps_its_date_order(editor_client):
    newer = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=1))
    older = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=9))
    response = editor_client.get("/admin/articles/article/?status__exact=published")
    listed = [article.pk for article in response.context["cl"].result_list]
    assert listed.index(newer.pk) < listed.index(older.pk)


@pytest.mark.parametrize("kind", ["article", "category", "page"])
def test_view_on_site_goes_to_site_url(editor_client, settings, kind):
    settings.SITE_URL = "https://news.example.org"
    obj = {"article": ArticleFactory, "category": CategoryFactory, "page": PageFactory}[kind]()
    response = editor_client.get(f"/admin/articles/{kind}/{obj.pk}/change/")
    assert f'href="https://news.example.org{obj.get_absolute_url()}"' in response.content.decode()
    assert "example.com" not in response.content.decode()


def test_drafts_offer_preview_not_view_on_site(editor_client):
    draft = ArticleFactory(draft=True)
    text = editor_client.get(change_url(draft)).content.decode()
    assert "View on site" not in text and "Preview" in text


def test_migrate_makes_the_site_row_follow_site_url(settings):
    settings.SITE_URL = "https://news.example.org"
    call_command("migrate", "articles", verbosity=0)
    site = Site.objects.get(pk=settings.SITE_ID)
    assert site.domain == "news.example.org"


def test_an_unpublished_page_offers_no_view_on_site(editor_client):
    page = PageFactory(published=False)
    text = editor_client.get(f"/admin/articles/page/{page.pk}/change/").content.decode()
    assert "View on site" not in text
