"""Writing in the admin: slugs, the concurrent-edit warning, the list, length, preview."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.articles.newsroom_roles import (
    add_url,
    article_form_data,
    change_url,
    make_contributor,
)
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Slugs


def test_slug_is_made_from_the_title_when_left_empty(editor_client):
    editor_client.post(add_url(), article_form_data(title="Oil, Water & Power in 2026"))
    assert Article.objects.get(title="Oil, Water & Power in 2026").slug == "oil-water-power-in-2026"


def test_a_generated_slug_steps_around_an_existing_one(editor_client):
    ArticleFactory(slug="election-night")
    editor_client.post(add_url(), article_form_data(title="Election night"))
    assert Article.objects.get(title="Election night").slug == "election-night-2"


def test_a_chosen_slug_that_clashes_gets_a_clear_message(editor_client):
    ArticleFactory(slug="election-night", title="The first one")
    response = editor_client.post(
        add_url(), article_form_data(title="Another", slug="election-night")
    )
    assert response.status_code == 200
    assert "The address “election-night” is already taken" in response.text
    # The article holding it may be one this user cannot see: its title is not given away.
    assert "The first one" not in response.text
    assert "election-night-2" in response.text
    assert Article.objects.count() == 1


def test_an_invalid_slug_is_refused(editor_client):
    response = editor_client.post(add_url(), article_form_data(title="Bad", slug="no spaces/ok"))
    assert response.status_code == 200
    assert not Article.objects.filter(title="Bad").exists()


# --- Two people editing at once


def test_a_stale_save_is_warned_and_a_second_save_overwrites_deliberately(client, editor):
    contributor = make_contributor()
    article = ArticleFactory(draft=True, created_by=contributor, title="Original")
    opened_by_contributor = article_form_data(article, step="draft")

    client.force_login(editor)
    client.post(
        change_url(article), article_form_data(article, step="save", title="Editor's title")
    )
    client.force_login(contributor)
    opened_by_contributor["title"] = "Contributor's title"
    response = client.post(change_url(article), opened_by_contributor)

    assert response.status_code == 200
    assert "saved this article at" in response.text and "after you opened it" in response.text
    assert editor.get_username() in response.text
    article.refresh_from_db()
    assert article.title == "Editor's title"

    # The re-shown form carries the current version: saving again is a deliberate overwrite.
    form = response.context["adminform"].form
    retry = {**opened_by_contributor, "edited_version": form.data["edited_version"]}
    assert client.post(change_url(article), retry).status_code == 302
    article.refresh_from_db()
    assert article.title == "Contributor's title"


def test_saving_an_unchanged_version_is_not_warned(editor_client):
    article = ArticleFactory(draft=True)
    response = editor_client.post(change_url(article), article_form_data(article, title="Fine"))
    assert response.status_code == 302


# --- The list


def test_article_list_shows_status_authors_dates_and_filters(editor_client):
    author = AuthorFactory(display_name="Amira Haddad")
    ArticleFactory(in_review=True, title="Under review piece", authors=[author])
    ArticleFactory(scheduled=True, title="Scheduled piece")
    page = editor_client.get("/admin/articles/article/").text
    assert "In review" in page and "Scheduled for" in page and "Amira Haddad" in page
    filtered = editor_client.get("/admin/articles/article/?status__exact=review").text
    assert "Under review piece" in filtered and "Scheduled piece" not in filtered


def test_article_list_searches_title_and_body(editor_client):
    ArticleFactory(title="About dams", body="<p>The Euphrates runs low.</p>")
    ArticleFactory(title="About tariffs")
    page = editor_client.get("/admin/articles/article/?q=Euphrates").text
    assert "About dams" in page and "About tariffs" not in page


def test_article_list_has_a_date_hierarchy(editor_client):
    ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=400))
    page = editor_client.get("/admin/articles/article/").text
    assert 'class="xfull"' in page or "date-hierarchy" in page or "published_at__year" in page


@pytest.mark.parametrize("count", [3, 12])
def test_article_list_query_count_does_not_grow_with_rows(
    editor_client, django_assert_num_queries, count
):
    category = CategoryFactory()
    for _ in range(count):
        ArticleFactory(primary_category=category)
    # Fixed whatever the number of rows: session, user, permissions, counts, page, authors, filters.
    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        assert editor_client.get("/admin/articles/article/").status_code == 200


ARTICLE_LIST_QUERIES = 13


def test_autocomplete_serves_categories_to_a_contributor(client):
    CategoryFactory(name="Energy")
    client.force_login(make_contributor())
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "Ener",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "primary_category",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "Energy"


def test_the_editor_can_link_a_byline_to_a_login(editor_client):
    """The author form's login field is an autocomplete over users: the Editor group must be
    allowed to view them (migration 0008)."""
    UserFactory(username="nadia.writer")
    response = editor_client.get(
        "/admin/autocomplete/",
        {"term": "nadia", "app_label": "articles", "model_name": "author", "field_name": "user"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["nadia.writer"]


def test_tag_suggestions_complete_the_last_tag(editor_client):
    ArticleFactory(tags=["Energy policy", "Elections"])
    response = editor_client.get("/admin/articles/article/tag-suggestions/", {"q": "Iran, ene"})
    assert response.json() == {"suggestions": ["Iran, Energy policy"]}


def test_figure_dialog_gets_the_library_pictures_at_body_size(contributor_client):
    from articles.models import Image

    Image.objects.create(
        file="images/2026/11/river.jpg",
        alt_text="The river",
        caption="At dusk",
        width=2000,
        height=1000,
        renditions={
            "original": [
                {"width": w, "height": w // 2, "name": f"r-{w}w.jpg", "url": f"/media/r-{w}w.jpg"}
                for w in (480, 800, 1200, 1600)
            ]
        },
    )
    response = contributor_client.get("/admin/articles/article/library-pictures/")
    [picture] = response.json()["pictures"]
    assert picture["url"] == "/media/r-1200w.jpg"
    assert (picture["alt"], picture["caption"]) == ("The river", "At dusk")
    form = contributor_client.get("/admin/articles/article/add/").text
    assert "/admin/articles/article/library-pictures/" in form  # the body editor's configuration
    assert "/admin/articles/article/upload-picture/" in form


def test_library_pictures_need_a_staff_login(client):
    response = client.get("/admin/articles/article/library-pictures/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- Length


def test_change_form_shows_word_count_and_reading_time(editor_client):
    article = ArticleFactory(body="<p>" + "word " * 460 + "</p>")
    page = editor_client.get(change_url(article)).text
    assert "460 words · 2 min read" in page


# --- Preview


def test_author_previews_their_draft_in_the_site_layout_uncached(client):
    contributor = make_contributor()
    article = ArticleFactory(
        draft=True, title="Draft thoughts", created_by=contributor, body="<p>Not out yet.</p>"
    )
    client.force_login(contributor)
    response = client.get(f"/preview/{article.pk}/")
    assert response.status_code == 200
    assert "Draft thoughts" in response.text and "Not out yet." in response.text
    assert 'id="content"' in response.text  # the real layout, not an admin page
    assert "Readers cannot see this page" in response.text
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_editor_previews_anyones_scheduled_article(editor_client):
    article = ArticleFactory(scheduled=True, title="Next week")
    response = editor_client.get(f"/preview/{article.pk}/")
    assert response.status_code == 200 and "Next week" in response.text


def test_readers_and_other_contributors_cannot_preview(client):
    article = ArticleFactory(draft=True, created_by=make_contributor("owner"))
    response = client.get(f"/preview/{article.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_contributor("nosy"))
    assert client.get(f"/preview/{article.pk}/").status_code == 404


def test_change_form_links_to_the_preview(editor_client):
    article = ArticleFactory(draft=True)
    assert f'href="/preview/{article.pk}/"' in editor_client.get(change_url(article)).text
