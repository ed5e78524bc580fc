"""Autosave of the article form: what is typed is kept for its writer, never published, never a
revision, never over someone else's save; reopening offers it back while it is newer."""

import datetime
import json

import pytest
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleAutosave
from tests.articles.newsroom_roles import add_url, article_form_data, change_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def own_draft(user, **kwargs) -> Article:
    return ArticleFactory(draft=True, created_by=user, authors=[user.author_profile], **kwargs)


def autosave_url(article: Article | None = None) -> str:
    base = "/admin/articles/article/"
    return f"{base}{article.pk}/autosave/" if article else f"{base}autosave/"


def post_autosave(client, article=None, **fields):
    data = {"title": "T", "dek": "", "body": "<p>Typed.</p>", "edited_version": ""}
    if article is not None:
        data["edited_version"] = article.updated_at.isoformat()
    data.update(fields)
    return client.post(autosave_url(article), data)


def test_autosave_keeps_the_text_for_its_writer_without_touching_the_article(
    contributor_client, contributor
):
    article = own_draft(contributor, title="Saved title", body="<p>Saved.</p>")
    before = article.updated_at
    response = post_autosave(
        contributor_client, article, title="Typed title", body="<p>Typed so far.</p>"
    )
    assert response.status_code == 200
    assert response.json()["message"].startswith("Autosaved at ")
    kept = ArticleAutosave.objects.get(user=contributor, article=article)
    assert (kept.title, kept.body) == ("Typed title", "<p>Typed so far.</p>")
    article.refresh_from_db()
    assert (article.title, article.body, article.updated_at) == (
        "Saved title",
        "<p>Saved.</p>",
        before,
    )
    assert not Version.objects.get_for_object(article).exists()


def test_each_autosave_replaces_the_last_one(contributor_client, contributor):
    article = own_draft(contributor)
    for words in ("one", "one two", "one two three"):
        post_autosave(contributor_client, article, body=f"<p>{words}</p>")
    assert ArticleAutosave.objects.filter(article=article).count() == 1
    assert ArticleAutosave.objects.get(article=article).body == "<p>one two three</p>"


def test_autosave_of_a_published_article_does_not_change_what_readers_see(editor_client, editor):
    article = ArticleFactory(body="<p>Live text.</p>")
    post_autosave(editor_client, article, body="<p>Half-written change.</p>")
    article.refresh_from_db()
    assert article.body == "<p>Live text.</p>" and article.is_live
    assert editor_client.get(article.get_absolute_url()).content.decode().count("Half-written") == 0


def test_autosave_passes_the_allow_list(contributor_client, contributor):
    article = own_draft(contributor)
    post_autosave(contributor_client, article, body='<p onclick="x()">Hi<script>x()</script></p>')
    assert ArticleAutosave.objects.get(article=article).body == "<p>Hi</p>"


def test_autosave_after_someone_elses_save_warns_and_leaves_their_version(editor_client, editor):
    article = ArticleFactory(draft=True, body="<p>Mine.</p>")
    opened_version = article.updated_at.isoformat()
    article.body = "<p>Someone else's newer save.</p>"
    article.save()
    response = post_autosave(
        editor_client, article, body="<p>My typing.</p>", edited_version=opened_version
    )
    answer = response.json()
    assert answer["saved"] is True
    assert "after you opened it" in answer["newer_save"]
    article.refresh_from_db()
    assert "newer save" in article.body and "My typing" not in article.body
    # The form's own save still refuses to overwrite them on the first press.
    response = editor_client.post(
        change_url(article),
        article_form_data(
            article, step="save", body="<p>My typing.</p>", edited_version=opened_version
        ),
    )
    assert response.status_code == 200 and "after you opened it" in response.content.decode()


def test_nobody_autosaves_into_an_article_they_may_not_change(contributor_client, contributor):
    others = ArticleFactory(draft=True)
    assert post_autosave(contributor_client, others).status_code in (403, 404)
    own_published = ArticleFactory(created_by=contributor, authors=[contributor.author_profile])
    assert post_autosave(contributor_client, own_published).status_code == 403
    assert not ArticleAutosave.objects.exists()


def test_autosave_is_post_only_and_refuses_bad_input(contributor_client, contributor):
    article = own_draft(contributor)
    assert contributor_client.get(autosave_url(article)).status_code == 405
    response = post_autosave(contributor_client, article, title="x" * 301)
    assert response.status_code == 400
    assert "title" in response.json()["message"]


def test_reopening_offers_the_autosave_when_newer_than_the_saved_article(
    contributor_client, contributor
):
    article = own_draft(contributor, body="<p>Saved.</p>")
    post_autosave(contributor_client, article, body="<p>Typed after the save.</p>")
    response = contributor_client.get(change_url(article))
    text = response.content.decode()
    assert "Restore the autosaved text" in text
    offered = response.context["autosave_offer_data"]
    assert offered["body"] == "<p>Typed after the save.</p>"
    script = text.split('id="autosave-offer-data"', 1)[1].split("</script>", 1)[0]
    assert json.loads(script.split(">", 1)[1])["body"] == "<p>Typed after the save.</p>"


def test_an_autosave_older_than_the_saved_article_is_not_offered(contributor_client, contributor):
    article = own_draft(contributor)
    ArticleAutosave.objects.create(
        user=contributor,
        article=article,
        body="<p>Old.</p>",
        saved_at=article.updated_at - datetime.timedelta(minutes=5),
    )
    assert "Restore the autosaved text" not in contributor_client.get(change_url(article)).text


def test_saving_the_article_spends_its_autosave(contributor_client, contributor):
    article = own_draft(contributor)
    post_autosave(contributor_client, article, body="<p>Typed.</p>")
    response = contributor_client.post(
        change_url(article), article_form_data(article, step="draft", body="<p>Typed.</p>")
    )
    assert response.status_code == 302
    assert not ArticleAutosave.objects.exists()


def test_a_new_article_is_autosaved_and_offered_on_the_add_form(contributor_client, contributor):
    assert post_autosave(contributor_client, None, title="Untitled thoughts").status_code == 200
    assert "Restore the autosaved text" in contributor_client.get(add_url()).text
    response = contributor_client.post(add_url(), article_form_data(title="Untitled thoughts"))
    assert response.status_code == 302
    assert not ArticleAutosave.objects.exists()


def test_discarding_the_offer_deletes_the_autosave(contributor_client, contributor):
    article = own_draft(contributor)
    post_autosave(contributor_client, article)
    response = contributor_client.post(f"/admin/articles/article/{article.pk}/autosave/discard/")
    assert response.status_code == 200
    assert not ArticleAutosave.objects.exists()


def test_the_form_carries_the_autosave_interval_from_settings(
    contributor_client, contributor, settings
):
    settings.ARTICLE_AUTOSAVE_SECONDS = 7
    article = own_draft(contributor)
    text = contributor_client.get(change_url(article)).text
    assert 'data-seconds="7"' in text
    assert f'data-url="{autosave_url(article)}"' in text


def test_autosaves_are_per_writer(contributor_client, contributor, editor):
    article = own_draft(contributor)
    ArticleAutosave.objects.create(
        user=editor, article=article, body="<p>The editor's typing.</p>", saved_at=timezone.now()
    )
    assert "Restore the autosaved text" not in contributor_client.get(change_url(article)).text


def test_an_autosave_arriving_after_its_page_saved_the_article_is_dropped(
    contributor_client, contributor
):
    article = own_draft(contributor)
    response = contributor_client.post(
        change_url(article),
        article_form_data(article, step="draft", body="<p>Saved.</p>", _autosave_page="page-1"),
    )
    assert response.status_code == 302
    late = post_autosave(contributor_client, article, body="<p>Saved.</p>", page="page-1")
    assert late.json()["saved"] is False
    assert not ArticleAutosave.objects.exists()
    # Another window of the same writer still keeps its typing.
    other = post_autosave(contributor_client, article, body="<p>Other window.</p>", page="page-2")
    assert other.json()["saved"] is True
