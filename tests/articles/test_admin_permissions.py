"""Who may do what in the admin: each rule is enforced by the server, so forged posts are refused."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from tests.articles.newsroom_roles import (
    add_url,
    article_form_data,
    change_url,
)
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def own_draft(user, **kwargs) -> Article:
    return ArticleFactory(draft=True, created_by=user, authors=[user.author_profile], **kwargs)


def test_migration_creates_the_two_roles_with_their_permissions():
    contributor = set(
        Group.objects.get(name="Contributor").permissions.values_list("codename", flat=True)
    )
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "add_image", "view_category"} <= contributor
    assert (
        not {"publish_article", "edit_any_article", "change_category", "change_page"} & contributor
    )
    assert {
        "publish_article",
        "edit_any_article",
        "change_category",
        "change_menuitem",
        "change_page",
        "change_tag",
    } <= editor


def test_demo_accounts_get_their_roles_and_the_editor_is_no_superuser():
    call_command("load_demo", stdout=io.StringIO())
    editor = get_user_model().objects.get(username="editor")
    contributor = get_user_model().objects.get(username="contributor")
    assert editor.is_staff and not editor.is_superuser
    assert editor.has_perm("articles.publish_article")
    assert contributor.is_staff and not contributor.has_perm("articles.publish_article")


def test_contributor_list_shows_only_their_own_articles(contributor_client, contributor):
    mine = own_draft(contributor, title="My own draft")
    ArticleFactory(draft=True, title="Someone else's draft")
    response = contributor_client.get("/admin/articles/article/")
    assert response.status_code == 200
    assert mine.title in response.text
    assert (
        "Someone else&#x27;s draft" not in response.text
        and "Someone else's draft" not in response.text
    )


def test_contributor_writes_a_draft_credited_to_them(contributor_client, contributor):
    response = contributor_client.post(add_url(), article_form_data(title="Field notes"))
    assert response.status_code == 302
    article = Article.objects.get(title="Field notes")
    assert article.status == Article.Status.DRAFT
    assert article.slug == "field-notes"
    assert article.created_by == contributor
    assert list(article.authors.all()) == [contributor.author_profile]


def test_contributor_submits_own_draft_for_review(contributor_client, contributor):
    article = own_draft(contributor)
    response = contributor_client.post(
        change_url(article), article_form_data(article, step="review")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_forged_publish_by_a_contributor_is_refused_and_nothing_is_created(contributor_client):
    future = timezone.localtime() + datetime.timedelta(hours=1)
    data = article_form_data(
        title="Sneaky",
        step="publish",
        status="published",
        featured="on",
        published_at_0=future.strftime("%Y-%m-%d"),
        published_at_1=future.strftime("%H:%M:%S"),
    )
    response = contributor_client.post(add_url(), data)
    assert response.status_code == 200
    assert "Only an editor can publish" in response.text
    assert not Article.objects.filter(title="Sneaky").exists()


@pytest.mark.parametrize("step", ["publish", "schedule", "unpublish"])
def test_forged_editor_steps_on_own_draft_leave_it_a_draft(contributor_client, contributor, step):
    article = own_draft(contributor)
    data = article_form_data(article, step=step, status="published", featured="on")
    response = contributor_client.post(change_url(article), data)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not article.featured and article.published_at is None


def test_forged_status_and_featured_fields_are_ignored_for_contributors(
    contributor_client, contributor
):
    article = own_draft(contributor)
    data = article_form_data(
        article, step="draft", status="published", featured="on", title="Renamed"
    )
    contributor_client.post(change_url(article), data)
    article.refresh_from_db()
    assert article.title == "Renamed"
    assert article.status == Article.Status.DRAFT and not article.featured


def test_contributor_cannot_edit_another_writers_article(contributor_client):
    other = ArticleFactory(draft=True, title="Not yours")
    response = contributor_client.post(
        change_url(other), article_form_data(other, title="Hijacked", step="draft")
    )
    assert response.status_code in (302, 403, 404)
    other.refresh_from_db()
    assert other.title == "Not yours"
    assert contributor_client.get(change_url(other)).status_code in (302, 403, 404)


def test_contributor_deletes_own_draft(contributor_client, contributor):
    article = own_draft(contributor)
    response = contributor_client.post(
        f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_contributor_cannot_delete_another_writers_article(contributor_client):
    other = ArticleFactory(draft=True)
    response = contributor_client.post(
        f"/admin/articles/article/{other.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code in (302, 403, 404)
    assert Article.objects.filter(pk=other.pk).exists()


def test_contributor_cannot_change_own_article_once_published(contributor_client, contributor):
    article = ArticleFactory(created_by=contributor, authors=[contributor.author_profile])
    response = contributor_client.post(
        change_url(article), article_form_data(article, title="Rewritten after publication")
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Rewritten after publication"
    # …but can still read it.
    assert contributor_client.get(change_url(article)).status_code == 200


def test_contributor_cannot_publish_through_the_bulk_action(contributor_client, contributor):
    article = own_draft(contributor)
    contributor_client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


@pytest.mark.parametrize(
    "path",
    [
        "/admin/articles/category/add/",
        "/admin/articles/page/add/",
        "/admin/articles/menuitem/add/",
        "/admin/articles/menuitem/",
        "/admin/articles/page/",
        "/admin/taggit/tag/add/",
    ],
)
def test_contributor_cannot_touch_categories_menu_pages_or_tags(contributor_client, path):
    assert contributor_client.get(path).status_code == 403


def test_contributor_cannot_change_a_category_by_posting(contributor_client):
    category = CategoryFactory(name="Politics")
    response = contributor_client.post(
        f"/admin/articles/category/{category.pk}/change/",
        {"name": "Hacked", "slug": category.slug, "order": 0},
    )
    assert response.status_code == 403
    category.refresh_from_db()
    assert category.name == "Politics"


def test_editor_edits_and_publishes_anyones_article(client, editor):
    article = ArticleFactory(in_review=True, title="From a contributor")
    client.force_login(editor)
    response = client.post(change_url(article), article_form_data(article, step="publish"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.is_live


def test_editor_features_an_article(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    client.post(change_url(article), article_form_data(article, step="save", featured="on"))
    article.refresh_from_db()
    assert article.featured


def test_editor_bulk_publishes_and_unpublishes(client, editor):
    drafts = [ArticleFactory(in_review=True), ArticleFactory(draft=True)]
    client.force_login(editor)
    client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [a.pk for a in drafts]},
    )
    assert all(Article.objects.get(pk=a.pk).is_live for a in drafts)
    client.post(
        "/admin/articles/article/",
        {"action": "unpublish_selected", "_selected_action": [a.pk for a in drafts]},
    )
    assert not Article.objects.published().filter(pk__in=[a.pk for a in drafts]).exists()
