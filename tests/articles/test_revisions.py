"""Every admin save keeps a revision; the editor lists, compares and restores them."""

import pytest

from articles.models import Article
from articles.revisions import tags_of, versions_of, word_diff
from tests.articles.newsroom_roles import (
    article_form_data,
    change_url,
    make_contributor,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def save_in_admin(client, article: Article, **changes) -> None:
    article.refresh_from_db()
    response = client.post(change_url(article), article_form_data(article, step="save", **changes))
    assert response.status_code == 302, response.content[:500]


def test_each_admin_save_keeps_a_revision_with_who_and_what(client, editor):
    article = ArticleFactory(title="First title", body="<p>First body.</p>")
    client.force_login(editor)
    save_in_admin(client, article, title="Second title")
    save_in_admin(client, article, body="<p>Second body.</p>")
    versions = list(versions_of(article))
    assert len(versions) == 2
    assert versions[0].revision.user == editor
    assert versions[0].field_dict["body"] == "<p>Second body.</p>"
    assert versions[1].field_dict["title"] == "Second title"


def test_revisions_page_compares_two_revisions_word_by_word(client, editor):
    article = ArticleFactory(title="Dams on the river", body="<p>The river runs low this year.</p>")
    client.force_login(editor)
    save_in_admin(client, article)
    save_in_admin(
        client,
        article,
        title="Dams on the Euphrates",
        body="<p>The Euphrates runs very low this year.</p>",
    )
    old, new = list(versions_of(article))[::-1]
    page = client.get(
        f"/admin/articles/article/{article.pk}/revisions/", {"old": old.pk, "new": new.pk}
    ).text
    assert "<del>river</del><ins>Euphrates</ins>" in page
    assert "runs<ins> very</ins> low" in page
    assert editor.get_username() in page


def test_word_diff_escapes_what_it_shows():
    assert str(word_diff("a <b>", "a <i>")) == "a <del>&lt;b&gt;</del><ins>&lt;i&gt;</ins>"


def test_restore_brings_back_the_words_but_not_the_status(client, editor):
    article = ArticleFactory(title="Good title", body="<p>Good body.</p>")
    client.force_login(editor)
    save_in_admin(client, article)
    good = versions_of(article).first()
    save_in_admin(client, article, title="Bad title", body="<p>Bad body.</p>")
    response = client.post(f"/admin/articles/article/{article.pk}/revisions/{good.pk}/restore/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Good title" and article.body == "<p>Good body.</p>"
    assert article.status == Article.Status.PUBLISHED
    latest = versions_of(article).first()
    assert latest.revision.comment.startswith("Restored the version of")
    assert len(versions_of(article)) == 3  # the bad one is still there to go back to


def test_revisions_keep_the_tags_and_restore_brings_them_back(client, editor):
    article = ArticleFactory(title="Dams")
    client.force_login(editor)
    save_in_admin(client, article, tags="water, Tigris")
    tagged = versions_of(article).first()
    save_in_admin(client, article, tags="oil")
    assert sorted(article.tags.names()) == ["oil"]
    client.post(f"/admin/articles/article/{article.pk}/revisions/{tagged.pk}/restore/")
    assert sorted(article.tags.names()) == ["Tigris", "water"]
    assert tags_of(versions_of(article).first()) == set(article.tags.values_list("pk", flat=True))


def test_restore_needs_a_post(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    save_in_admin(client, article)
    version = versions_of(article).first()
    url = f"/admin/articles/article/{article.pk}/revisions/{version.pk}/restore/"
    assert client.get(url).status_code == 405


def test_contributors_cannot_see_or_restore_revisions(client):
    contributor = make_contributor()
    article = ArticleFactory(draft=True, created_by=contributor)
    client.force_login(contributor)
    save_in_admin(client, article, title="Mine")
    version = versions_of(article).first()
    assert client.get(f"/admin/articles/article/{article.pk}/revisions/").status_code == 403
    response = client.post(f"/admin/articles/article/{article.pk}/revisions/{version.pk}/restore/")
    assert response.status_code == 403
